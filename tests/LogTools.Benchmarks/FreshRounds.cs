using LogTools.Engine.Store;

namespace LogTools.Benchmarks;

/// <summary>The rounds of fresh processes of <see cref="HistoryImportBenchmark"/>: seconds per round of each process.</summary>
internal sealed class FreshRounds(string loadBefore)
{
    public string LoadBefore { get; } = loadBefore;

    public string LoadAfter { get; set; } = string.Empty;

    public List<double> Ccusage { get; } = [];

    /// <summary>pwsh + Import-Module + Import-LogHistory.</summary>
    public List<double> LogTools { get; } = [];

    /// <summary>pwsh + Import-Module alone.</summary>
    public List<double> Empty { get; } = [];

    /// <summary>pwsh alone, no module: the floor no module can go below.</summary>
    public List<double> Bare { get; } = [];

    /// <summary>Calls the last round's import read.</summary>
    public long Calls { get; set; }

    /// <summary>The last round's store.</summary>
    public LogStore? Store { get; set; }

    /// <summary>ccusage's time / LogTools' time per round: median (spread).</summary>
    public string Ratio => Spread(Ccusage.Select((c, i) => c / LogTools[i]));

    /// <summary>The same with the round's pwsh + Import-Module alone taken off LogTools' time: the import's own share.</summary>
    public string RatioBeyondPwsh => Spread(Ccusage.Select((c, i) => c / (LogTools[i] - Empty[i])));

    /// <summary>
    /// ccusage's time / pwsh alone per round: the most any module could reach in a fresh pwsh, were its import and its
    /// work free.
    /// </summary>
    public string RatioCeiling => Spread(Ccusage.Select((c, i) => c / Bare[i]));

    private static string Spread(IEnumerable<double> values)
    {
        var ratios = values.ToList();
        return $"{Timing.Median(ratios):0.00}x ({ratios.Min():0.00}–{ratios.Max():0.00}x)";
    }
}
