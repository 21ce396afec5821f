using System.Diagnostics;

namespace LogTools.Tests.Support;

/// <summary>Debian's b3sum, the independent oracle for every BLAKE3 digest LogTools prints.</summary>
public static class B3sum
{
    /// <summary>Runs b3sum with the arguments (and optional raw standard input) and returns its standard output.</summary>
    public static string Run(IEnumerable<string> arguments, byte[]? input = null)
    {
        var info = new ProcessStartInfo("b3sum") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("b3sum is not installed: apt-get install b3sum (CI's .ci/run installs it).", ex);
        }

        using (process)
        {
            if (input is not null)
            {
                process.StandardInput.BaseStream.Write(input);
            }

            process.StandardInput.Close();
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, "b3sum failed: " + process.StandardError.ReadToEnd());
            return output;
        }
    }

    /// <summary>The digest b3sum prints for one file.</summary>
    public static string Digest(string file, params string[] options) => Run([.. options, "--no-names", file], null).Trim();
}
