using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using LogTools.Tests.Support;
using Xunit.Abstractions;

namespace LogTools.Tests.Mirror;

/// <summary>
/// The real logrotate (dateext) rotating a file while a writer keeps appending, in create and copytruncate
/// modes, with syncs in between and at the end: the pond's archives in order plus its active copy must hold
/// everything the writer wrote. copytruncate loses, by design, what is written between its copy and its
/// truncate; the test measures that window and reports it.
/// </summary>
public sealed class LogrotateTests(ITestOutputHelper output)
{
    private const int OWronly = 1;
    private const int OAppend = 0x400;

    [Theory]
    [InlineData("create")]
    [InlineData("copytruncate")]
    public void The_pond_holds_everything_the_writer_wrote_across_logrotate_rotations(string mode)
    {
        using var session = new ModuleSession();
        var dir = session.Folder.Combine("log");
        Directory.CreateDirectory(dir);
        var log = Path.Combine(dir, "app.log");
        File.WriteAllText(log, string.Empty);
        var conf = session.Folder.Combine("logrotate.conf");
        File.WriteAllText(conf, $"{log} {{\n  {mode}\n  dateext\n  dateformat -%Y%m%d-%s\n  rotate 100\n  missingok\n  nocompress\n}}\n");
        var config = session.Folder.Combine("app.yml");
        File.WriteAllText(config, $"name: app\narchived_pattern: \"{dir}/app.log-*\"\nactive_pattern: \"{log}\"\npond_path: logs/app\n");

        using var stop = new CancellationTokenSource();
        var written = 0;
        var writer = new Thread(() =>
        {
            // The writer appends with O_APPEND and short-lived handles, as a service that reopens its log would; it never creates the file (logrotate does).
            while (!stop.IsCancellationRequested)
            {
                var fd = Open(log, OWronly | OAppend);
                if (fd < 0)
                {
                    Thread.Sleep(1);
                    continue;
                }

                var line = Encoding.ASCII.GetBytes($"seq {written}\n");
                _ = Write(fd, line, line.Length);
                _ = Close(fd);
                written++;
            }
        });
        writer.Start();

        for (var rotation = 0; rotation < 3; rotation++)
        {
            Thread.Sleep(300);
            Sync(session, config);
            Thread.Sleep(100);
            Logrotate(session.Folder.Combine("logrotate.state"), conf);
            Thread.Sleep(1100); // dateext names rotations by the second
            Sync(session, config);
        }

        stop.Cancel();
        writer.Join();
        Sync(session, config);

        var pond = Path.Combine(session.StorePath, "pond", "logs", "app");
        var archives = Directory.GetFiles(pond, "app.log-*").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(3, archives.Count);
        var text = string.Concat(archives.Append(Path.Combine(pond, "app.log")).Select(File.ReadAllText));
        var seen = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => int.Parse(l[4..])).ToList();
        Assert.True(seen.Zip(seen.Skip(1)).All(p => p.First < p.Second), "lines duplicated or out of order");
        var missing = Enumerable.Range(0, written).Except(seen).ToList();
        var runs = missing.Where((n, i) => i == 0 || missing[i - 1] != n - 1).Count();
        output.WriteLine($"{mode}: {written} lines written, {seen.Count} in the pond, {missing.Count} lost in {runs} window(s).");
        if (mode == "create")
        {
            Assert.Empty(missing);
        }
        else
        {
            // copytruncate's window of loss: lines written between the copy and the truncate, at most one run per rotation.
            Assert.True(runs <= 3, $"{missing.Count} lines lost in {runs} runs");
        }
    }

    private static void Sync(ModuleSession session, string config) =>
        session.Run("Sync-LogSource -Config $args[0]", config).AssertNoErrors();

    private static void Logrotate(string state, string conf)
    {
        using var process = Process.Start(new ProcessStartInfo("logrotate", ["-f", "-s", state, conf]) { RedirectStandardError = true })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, "logrotate: " + error);
    }

    [DllImport("libc", EntryPoint = "open")]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "write")]
    private static extern nint Write(int fd, byte[] buffer, nint count);

    [DllImport("libc", EntryPoint = "close")]
    private static extern int Close(int fd);
}
