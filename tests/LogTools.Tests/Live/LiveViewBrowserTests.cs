using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using LogTools.Tests.Support;
using Microsoft.Playwright;

namespace LogTools.Tests.Live;

/// <summary>
/// The live view's page in a real browser: Debian's chromium driven by Playwright (no browser download), a server
/// process (Start-LogServer -Wait) and a writer process (Start-LogRun, Write-RunEvent), as a user watching a run.
/// </summary>
public sealed class LiveViewBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task PageStreamsAnotherProcesssRunLiveInOrderAndReplaysItAfterAReload()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: install Debian's chromium (apt-get install -y chromium), as .ci/run does.");
        using var folder = new TempFolder();
        var environment = new Dictionary<string, string> { ["LOGTOOLS_STORE"] = folder.Combine("store") };
        var earlier = PwshRun.Command("Start-LogRun -Kind nightly | Out-Null; Write-RunEvent -Type console.line -Message done; Complete-LogRun | Out-Null", environment);
        Assert.True(earlier.ExitCode == 0, earlier.ToString());

        var port = FreePort();
        using var server = Start($"Start-LogServer -Port {port} -Wait", environment);
        Process? writer = null;
        try
        {
            writer = Start(
                "$run = Start-LogRun -Kind browser; [Console]::Out.WriteLine($run.RunId); [Console]::Out.Flush()\n" +
                "foreach ($i in 1..60) { Write-RunEvent -Type console.line -Message \"line $i\" -Severity $(if ($i -eq 25) { 'Error' } else { 'Info' }); Start-Sleep -Milliseconds 20 }\n" +
                $"while (-not (Test-Path '{folder.Combine("go")}')) {{ Start-Sleep -Milliseconds 50 }}\n" +
                "foreach ($i in 61..120) { Write-RunEvent -Type console.line -Message \"line $i\"; Start-Sleep -Milliseconds 20 }\n" +
                "Complete-LogRun -Status Succeeded | Out-Null",
                environment);
            await Watch(port, writer, folder.Combine("go"));
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            if (writer is { HasExited: false })
            {
                writer.Kill(entireProcessTree: true);
            }

            writer?.Dispose();
        }
    }

    /// <summary>What the user sees: the page open while <paramref name="writer"/> writes, a reload midway, <paramref name="go"/> releasing the rest.</summary>
    private static async Task Watch(int port, Process writer, string go)
    {
        using var http = new HttpClient();
        await WaitUntil(async () => (await TryGet(http, $"http://127.0.0.1:{port}/api/server")) == HttpStatusCode.OK, "the server answers");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        await page.GotoAsync($"http://127.0.0.1:{port}/");
        await page.Locator("#runs tbody tr").First.WaitForAsync();

        // The writer: 60 events (the 25th line an error), then waits for the go file, 60 more, then completes.
        var runId = (await writer.StandardOutput.ReadLineAsync())!.Trim();

        // The runs list picks the new run up (it refreshes every 5 s); choosing it starts the stream.
        await page.Locator($"#runs tbody tr[data-id='{runId}']").ClickAsync(new() { Timeout = 30_000 });
        await WaitForSequences(page, 61);
        Assert.False(writer.HasExited, "the run is still being written: the events arrived live");
        AssertOneEach(await Sequences(page), 61);

        // A reload mid-run comes back to the run (#run=id) and replays it from the start, then goes on live.
        await page.ReloadAsync();
        await WaitForSequences(page, 61);
        AssertOneEach(await Sequences(page), 61);
        File.WriteAllText(go, string.Empty);
        await page.GetByText("run completed").WaitForAsync(new() { Timeout = 60_000 });
        AssertOneEach(await Sequences(page), 122); // run.started, 120 lines, run.completed
        await page.Locator("#summary dt:text-is('status') + dd:text-is('Succeeded')").WaitForAsync(new() { Timeout = 30_000 });

        // The first error is line 25 (sequence 26); the severity filter leaves only it.
        await page.ClickAsync("#first-error");
        Assert.Equal("26", await page.Locator(".ev.hit").GetAttributeAsync("data-seq"));
        await page.SelectOptionAsync("#severity", "4");
        await page.WaitForFunctionAsync("document.querySelectorAll('#events .ev').length === 1");
        Assert.Equal("line 25", await page.Locator("#events .ev span:nth-child(4)").InnerTextAsync());
        await page.SelectOptionAsync("#severity", "0");
        await page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "live-view.png"), FullPage = true });

        Assert.True(writer.WaitForExit(60_000));
        Assert.Equal(0, writer.ExitCode);
    }

    private static Process Start(string script, Dictionary<string, string> environment)
    {
        var info = Pwsh.CommandStartInfo(Repo.Root, script);
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info)!;
        process.StandardInput.Close();
        return process;
    }

    private static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    private static async Task<HttpStatusCode?> TryGet(HttpClient http, string url)
    {
        try
        {
            using var response = await http.GetAsync(url);
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private static async Task WaitUntil(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting until {what}");
            await Task.Delay(100);
        }
    }

    private static Task WaitForSequences(IPage page, int count) =>
        page.WaitForFunctionAsync($"document.querySelectorAll('#events .ev').length >= {count}", null, new() { Timeout = 60_000 });

    private static async Task<int[]> Sequences(IPage page) =>
        [.. (await page.Locator("#events .ev").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.seq)")).Select(int.Parse)];

    private static void AssertOneEach(int[] shown, int atLeast)
    {
        Assert.True(shown.Length >= atLeast, $"{shown.Length} events shown, expected at least {atLeast}");
        Assert.Equal(Enumerable.Range(1, shown.Length), shown);
    }
}
