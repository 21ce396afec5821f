using LogTools.Engine.Mirror;

namespace LogTools.Engine.Tests.Mirror;

public sealed class MirrorConfigTests
{
    private static LogToolsException Load(string yaml)
    {
        var path = Path.Combine(Path.GetTempPath(), $"logtools-config-{Guid.NewGuid():N}.yml");
        File.WriteAllText(path, yaml);
        try
        {
            return Assert.Throws<LogToolsException>(() => MirrorSourceConfig.Load(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_valid_file_resolves_relative_patterns_against_its_folder()
    {
        var dir = Directory.CreateTempSubdirectory("logtools-config-").FullName;
        var path = Path.Combine(dir, "caspar.yml");
        File.WriteAllText(path, "name: casparwater\narchived_pattern: \"logs/casparwater-*.json\"\nactive_pattern: /var/log/casparwater.json\npond_path: logs/casparwater\n");

        var config = MirrorSourceConfig.Load(path);

        Assert.Equal("casparwater", config.Name);
        Assert.Equal(Path.Combine(dir, "logs"), config.ArchivedPattern.Folder);
        Assert.True(config.ArchivedPattern.Matches("casparwater-2025-10-20T08-18-50.905.json"));
        Assert.False(config.ArchivedPattern.Matches("casparwater.json"));
        Assert.Equal("/var/log/casparwater.json", config.ActivePattern.Text);
        Assert.Equal(path, config.ConfigPath);
        Directory.Delete(dir, true);
    }

    [Fact]
    public void Unknown_keys_name_the_line_and_key()
    {
        var ex = Load("name: a\narchived_pattern: /x/a-*.json\nactive_pattern: /x/a.json\npond_dir: a\n");
        Assert.Equal("MirrorConfigUnknownKey", ex.ErrorId);
        Assert.Contains("line 4, key 'pond_dir'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_keys_are_named()
    {
        var ex = Load("name: a\nactive_pattern: /x/a.json\n");
        Assert.Equal("MirrorConfigMissingKey", ex.ErrorId);
        Assert.Contains("archived_pattern, pond_path", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/x/a-[.json", "not closed")]
    [InlineData("/x*/a-*.json", "file name only")]
    [InlineData("/x/a-**.json", "'**'")]
    public void Bad_globs_name_the_file_line_and_key(string pattern, string why)
    {
        var ex = Load($"name: a\narchived_pattern: \"{pattern}\"\nactive_pattern: /x/a.json\npond_path: a\n");
        Assert.Equal("MirrorPatternInvalid", ex.ErrorId);
        Assert.Contains("line 2, key 'archived_pattern'", ex.Message, StringComparison.Ordinal);
        Assert.Contains(why, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Yaml_syntax_errors_and_non_scalar_values_are_reported_with_their_line()
    {
        Assert.Equal("MirrorConfigInvalid", Load("name: a\narchived_pattern: [unclosed\n").ErrorId);
        var ex = Load("name: a\narchived_pattern:\n  - /x/a-*.json\nactive_pattern: /x/a.json\npond_path: a\n");
        Assert.Equal("MirrorConfigInvalid", ex.ErrorId);
        Assert.Contains("line 2, key 'archived_pattern'", ex.Message, StringComparison.Ordinal);
    }
}
