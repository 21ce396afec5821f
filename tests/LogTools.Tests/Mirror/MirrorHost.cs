using System.Text;

namespace LogTools.Tests.Mirror;

/// <summary>A host log folder for one source ("app": app-*.json archives, app.json active) and its YAML configuration.</summary>
internal sealed class MirrorHost
{
    public MirrorHost(string root)
    {
        Dir = Path.Combine(root, "host");
        Directory.CreateDirectory(Dir);
        ConfigPath = Path.Combine(root, "app.yml");
        System.IO.File.WriteAllText(ConfigPath, "name: app\narchived_pattern: \"host/app-*.json\"\nactive_pattern: host/app.json\npond_path: logs/app\n");
    }

    public string Dir { get; }

    public string ConfigPath { get; }

    public string File(string name) => Path.Combine(Dir, name);

    public void Append(string name, byte[] bytes)
    {
        using var stream = new FileStream(File(name), FileMode.Append);
        stream.Write(bytes);
    }

    public static byte[] Lines(Random random, int from, long bytes)
    {
        var text = new StringBuilder();
        for (var i = from; text.Length < bytes; i++)
        {
            text.Append("{\"seq\":").Append(i).Append(",\"v\":\"").Append(random.Next()).Append("\"}\n");
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>Every file of a pond folder, name → bytes, to compare two ponds byte for byte.</summary>
    public static SortedDictionary<string, byte[]> Snapshot(string pondFolder) =>
        new(Directory.Exists(pondFolder)
            ? Directory.GetFiles(pondFolder).ToDictionary(f => Path.GetFileName(f), f => System.IO.File.ReadAllBytes(f))
            : [], StringComparer.Ordinal);
}
