using LogTools.Tests.Support;

namespace LogTools.Tests.Store;

/// <summary>These change process environment variables, so they run apart from everything else.</summary>
[Collection(ProcessEnvironment.Name)]
public sealed class StoreLocationTests
{
    // Get-LogStore only reads: a command that writes creates the store where the rules point first.
    private const string CreateThenDescribe = "Move-LogRecord -Confirm:$false | Out-Null; Get-LogStore";

    [Fact]
    public void Environment_then_candidates_then_default_choose_the_store_when_nothing_is_set()
    {
        using var temp = new TempFolder();
        using var env = new ProcessEnvironment(new()
        {
            ["LOGTOOLS_STORE"] = null,
            ["XDG_CONFIG_HOME"] = temp.Combine("config"),
            ["XDG_DATA_HOME"] = temp.Combine("data"),
        });
        using var session = new ModuleSession(chooseStore: false);

        var byDefault = session.Run(CreateThenDescribe).AssertNoErrors().Output.Single();
        Assert.Equal("Default", byDefault.Properties["Source"].Value.ToString());
        Assert.Equal(temp.Combine("data", "LogTools"), byDefault.Properties["Path"].Value);

        Directory.CreateDirectory(temp.Combine("external"));
        session.Run("Set-LogStore -Candidate $args[0], $args[1]", "/no/such/disk/LogTools", temp.Combine("external", "LogTools")).AssertNoErrors();
        Assert.True(File.Exists(temp.Combine("config", "LogTools", "settings.json")));
        var byCandidate = session.Run(CreateThenDescribe).AssertNoErrors().Output.Single();
        Assert.Equal("Candidate", byCandidate.Properties["Source"].Value.ToString());
        Assert.Equal(temp.Combine("external", "LogTools"), byCandidate.Properties["Path"].Value);

        var byEnvironment = session.Run("$env:LOGTOOLS_STORE = $args[0]; " + CreateThenDescribe, temp.Combine("from-env")).AssertNoErrors().Output.Single();
        Assert.Equal("Environment", byEnvironment.Properties["Source"].Value.ToString());
        Assert.Equal(temp.Combine("from-env"), byEnvironment.Properties["Path"].Value);

        session.Run("Set-LogStore $args[0]", temp.Combine("session")).AssertNoErrors();
        Assert.Equal("Session", session.Run("(Get-LogStore).Source.ToString()").Objects.Single());
        session.Run("Set-LogStore -Reset").AssertNoErrors();
        Assert.Equal("Environment", session.Run("(Get-LogStore).Source.ToString()").Objects.Single());
    }

    [Fact]
    public void Saving_candidates_with_WhatIf_writes_no_settings_file()
    {
        using var temp = new TempFolder();
        using var env = new ProcessEnvironment(new() { ["XDG_CONFIG_HOME"] = temp.Combine("config") });
        using var session = new ModuleSession();

        session.Run("Set-LogStore -Candidate '/x/LogTools' -WhatIf").AssertNoErrors();

        Assert.False(Directory.Exists(temp.Combine("config")));
    }
}
