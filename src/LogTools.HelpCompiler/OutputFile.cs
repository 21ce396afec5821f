namespace LogTools.HelpCompiler;

/// <summary>Writes build outputs so that unchanged content leaves the file (and its timestamp) alone,
/// keeping later incremental build steps from rerunning, and readers never see a half-written file.</summary>
internal static class OutputFile
{
    /// <summary>Returns true when the file was written.</summary>
    public static bool WriteIfChanged(string path, byte[] content)
    {
        if (File.Exists(path) && File.ReadAllBytes(path).AsSpan().SequenceEqual(content))
        {
            return false;
        }

        var temp = $"{path}.{Path.GetRandomFileName()}.tmp";
        try
        {
            File.WriteAllBytes(temp, content);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }

        return true;
    }
}
