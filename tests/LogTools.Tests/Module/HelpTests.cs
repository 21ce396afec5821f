using System.Management.Automation;
using System.Management.Automation.Language;
using LogTools.Tests.Support;

namespace LogTools.Tests.Module;

/// <summary>Every exported cmdlet's Get-Help -Full, as a user sees it, is complete and its examples are valid PowerShell.</summary>
public sealed class HelpTests
{
    private static readonly HashSet<string> Common = new(StringComparer.OrdinalIgnoreCase)
    {
        "Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction", "ProgressAction", "ErrorVariable", "WarningVariable",
        "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable", "WhatIf", "Confirm",
    };

    public static TheoryData<string> Cmdlets()
    {
        using var session = new ModuleSession(chooseStore: false);
        var data = new TheoryData<string>();
        foreach (var name in session.Run("(Get-Module LogTools).ExportedCmdlets.Keys").Objects.Cast<string>().Order())
        {
            data.Add(name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Help_is_complete_and_examples_parse(string cmdlet)
    {
        using var session = new ModuleSession(chooseStore: false);
        var help = session.Run("Get-Help $args[0] -Full", cmdlet).AssertNoErrors().Output.Single();

        var synopsis = help.Properties["Synopsis"].Value.ToString();
        Assert.False(string.IsNullOrWhiteSpace(synopsis));
        Assert.DoesNotContain(cmdlet + " [", synopsis); // PowerShell's stand-in synopsis when no help is found
        Assert.NotEmpty(Paragraphs(help.Properties["description"]?.Value));

        var documented = Items(help, "parameters", "parameter").ToDictionary(p => p.Properties["name"].Value.ToString()!, StringComparer.OrdinalIgnoreCase);
        var declared = session.Run("(Get-Command $args[0]).Parameters.Keys", cmdlet).Objects.Cast<string>().Where(p => !Common.Contains(p)).ToList();
        Assert.NotEmpty(declared.Concat(["none"]));
        foreach (var parameter in declared)
        {
            Assert.True(documented.TryGetValue(parameter, out var doc), $"{cmdlet} -{parameter} has no help");
            Assert.NotEmpty(Paragraphs(doc!.Properties["description"]?.Value));
        }

        var examples = Items(help, "examples", "example").ToList();
        Assert.NotEmpty(examples);
        foreach (var example in examples)
        {
            var code = example.Properties["code"].Value.ToString()!;
            Parser.ParseInput(code, out _, out var errors);
            Assert.True(errors.Length == 0, $"{cmdlet} example does not parse: {code}\n{string.Join("\n", errors.Select(e => e.Message))}");
            Assert.Contains(cmdlet, code, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void The_about_topic_is_found()
    {
        using var session = new ModuleSession(chooseStore: false);
        var help = session.Run("Get-Help about_LogTools").AssertNoErrors().Objects.Single().ToString()!;
        var text = string.Join(' ', help.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("TOPIC about_LogTools SHORT DESCRIPTION", text);
        Assert.Contains("one local-first store", text);
        Assert.Contains("$env:LOGTOOLS_STORE", text);
    }

    private static IEnumerable<PSObject> Items(PSObject help, string group, string item) =>
        help.Properties[group]?.Value is PSObject g && g.Properties[item]?.Value is { } value
            ? (value is object[] many ? many.Cast<PSObject>() : [(PSObject)value])
            : [];

    private static IEnumerable<string> Paragraphs(object? value) => value switch
    {
        null => [],
        object[] many => many.SelectMany(Paragraphs),
        PSObject o when o.Properties["Text"] is { } text => Paragraphs(text.Value as string),
        PSObject o => Paragraphs(o.BaseObject as string),
        string s when !string.IsNullOrWhiteSpace(s) => [s],
        _ => [],
    };
}
