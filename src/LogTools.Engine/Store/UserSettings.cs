using System.Text.Json;
using System.Text.Json.Serialization;

namespace LogTools.Engine.Store;

/// <summary>
/// Per-user settings kept in a small JSON file (the store candidate list). Read on demand, written
/// atomically, so scheduled tasks and interactive sessions of one user agree.
/// </summary>
public sealed class UserSettings
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>Store folders to try in order; the first whose parent folder exists wins.</summary>
    [JsonPropertyName("storeCandidates")]
    public List<string> StoreCandidates { get; set; } = [];

    /// <summary>
    /// The settings file: %APPDATA%\LogTools\settings.json on Windows,
    /// $XDG_CONFIG_HOME/LogTools/settings.json or ~/.config/LogTools/settings.json elsewhere.
    /// </summary>
    public static string DefaultPath()
    {
        string root;
        if (OperatingSystem.IsWindows())
        {
            root = System.Environment.GetFolderPath(System.Environment.SpecialFolder.ApplicationData);
        }
        else
        {
            var xdg = System.Environment.GetEnvironmentVariable("XDG_CONFIG_HOME");
            root = string.IsNullOrEmpty(xdg) ? System.IO.Path.Combine(HomeFolder(), ".config") : xdg;
        }

        return System.IO.Path.Combine(root, "LogTools", "settings.json");
    }

    /// <summary>Reads the settings; a missing file means defaults.</summary>
    public static UserSettings Load(string path)
    {
        if (!File.Exists(path))
        {
            return new UserSettings();
        }

        try
        {
            return JsonSerializer.Deserialize<UserSettings>(File.ReadAllBytes(path), Json) ?? new UserSettings();
        }
        catch (JsonException ex)
        {
            throw new LogToolsException(
                "UserSettingsInvalid", ErrorKind.InvalidData, path,
                $"The LogTools settings file '{path}' is not valid JSON ({ex.Message}). Fix or delete it; LogTools did not change it.", ex);
        }
    }

    /// <summary>Writes the settings through <see cref="AtomicFile"/>, so readers never see half a file.</summary>
    public void Save(string path)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        AtomicFile.Write(path, stream =>
        {
            JsonSerializer.Serialize(stream, this, Json);
            return path;
        });
    }

    internal static string HomeFolder() => System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile);
}
