using LogTools.Engine.Sessions;

namespace LogTools.Engine.Tests.Sessions;

public sealed class IdPatternTests
{
    [Theory]
    [InlineData("gh-*", "gh-*")]
    [InlineData("gh-45?", "gh-45?")]
    [InlineData("gh-45[0-3]", "gh-45[0-3]")]
    [InlineData("a`*b", "a[*]b")]
    [InlineData("a`?b`[c", "a[?]b[[]c")]
    [InlineData("[^x]y", "[x^]y")]
    [InlineData("open[", "open[[]")]
    public void PowerShell_wildcards_become_GLOB_patterns(string pattern, string glob) =>
        Assert.Equal(glob, IdPattern.ToGlob(pattern));

    [Theory]
    [InlineData("gh-*", true)]
    [InlineData("w?", true)]
    [InlineData("x[1]", true)]
    [InlineData("20260114T031500Z-7f3a9c", false)]
    public void Only_ids_with_wildcard_characters_are_patterns(string id, bool pattern) =>
        Assert.Equal(pattern, IdPattern.IsPattern(id));
}
