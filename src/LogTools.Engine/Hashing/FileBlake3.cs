using System.Globalization;

namespace LogTools.Engine.Hashing;

/// <summary>
/// The BLAKE3 digest of one file, shaped like Get-FileHash's result (Algorithm, Hash, Path) so scripts
/// written for one work with the other; Hash is lowercase hex, exactly as b3sum prints it.
/// </summary>
public sealed class FileBlake3
{
    private FileBlake3(string hash, string path, long length, string? outboardPath)
    {
        Hash = hash;
        Path = path;
        Length = length;
        OutboardPath = outboardPath;
    }

    public string Algorithm => "BLAKE3";

    public string Hash { get; }

    public string Path { get; }

    /// <summary>Bytes hashed.</summary>
    public long Length { get; }

    /// <summary>The bao outboard written for the file, if one was asked for.</summary>
    public string? OutboardPath { get; }

    /// <summary>
    /// The hashing mode a caller asks for, checked: a 32-byte key (bytes, or 64 hex digits) or a key-derivation
    /// context, not both; an outboard only for the plain 32-byte hash, since a bao outboard is the plain BLAKE3 tree.
    /// </summary>
    /// <exception cref="LogToolsException">KeyNotThirtyTwoBytes, KeyAndContext or OutboardNeedsPlainHash.</exception>
    public static Blake3Options Options(object? key, string? deriveKeyContext, int length, string? outboardPath)
    {
        byte[]? keyBytes = null;
        if (key is not null && (keyBytes = KeyBytes(key)) is null)
        {
            throw new LogToolsException(
                "KeyNotThirtyTwoBytes", ErrorKind.InvalidArgument, key,
                "-Key must be 32 bytes: a byte array of length 32 or a string of 64 hex digits. No file was hashed.");
        }

        if (keyBytes is not null && deriveKeyContext is not null)
        {
            throw new LogToolsException("KeyAndContext", ErrorKind.InvalidArgument, deriveKeyContext, "Use -Key or -DeriveKeyContext, not both.");
        }

        if (outboardPath is not null && (keyBytes is not null || deriveKeyContext is not null || length != 32))
        {
            throw new LogToolsException(
                "OutboardNeedsPlainHash", ErrorKind.InvalidArgument, outboardPath,
                "A bao outboard is made of the plain BLAKE3 tree: -OutboardPath cannot be combined with -Key, -DeriveKeyContext or -Length.");
        }

        return new Blake3Options { Key = keyBytes, DeriveKeyContext = deriveKeyContext, OutputLength = length };
    }

    /// <summary>
    /// Where the outboard of <paramref name="file"/> goes for an -OutboardPath of <paramref name="outboardPath"/> (full
    /// path): into an existing folder as &lt;name&gt;.obao, otherwise to that path itself.
    /// </summary>
    public static string OutboardFor(string outboardPath, string file) =>
        Directory.Exists(outboardPath) ? System.IO.Path.Combine(outboardPath, System.IO.Path.GetFileName(file) + ".obao") : outboardPath;

    /// <summary>The error for a second file whose outboard would go to the same path (only the last would be left).</summary>
    public static LogToolsException OutboardReused(string file, string outboard) => new(
        "OutboardPathReused", ErrorKind.InvalidArgument, file,
        $"The outboard '{outboard}' was already written for another file; give a folder as -OutboardPath to hash several files.");

    /// <summary>
    /// Hashes a file, and writes its bao outboard to <paramref name="outboardPath"/> when given (through a
    /// temporary file and a rename: never a half-written outboard under the real name). Unless the options
    /// say otherwise the file is read, not memory-mapped: a log truncated while it is hashed gives an error.
    /// </summary>
    /// <exception cref="LogToolsException">The path is missing, a folder, or unreadable; it vanished or shrank mid-way.</exception>
    public static FileBlake3 Compute(string path, Blake3Options options, string? outboardPath = null)
    {
        if (Directory.Exists(path))
        {
            throw new LogToolsException("PathIsDirectory", ErrorKind.InvalidArgument, path, $"'{path}' is a folder; give files (use a wildcard such as '{System.IO.Path.Combine(path, "*")}').");
        }

        try
        {
            if (outboardPath is null)
            {
                var digest = Blake3File.Hash(path, options);
                return new FileBlake3(digest.ToString(), path, digest.Length, null);
            }

            return WithOutboard(path, outboardPath);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new LogToolsException("FileNotFound", ErrorKind.ObjectNotFound, path, $"The file '{path}' does not exist (or vanished before it could be read).", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new LogToolsException("FileUnreadable", ErrorKind.PermissionDenied, path, $"The file '{path}' cannot be read: {ex.Message}", ex);
        }
        catch (IOException ex)
        {
            throw new LogToolsException("FileReadFailed", ErrorKind.ReadError, path, $"Reading '{path}' failed mid-way: {ex.Message} No digest is reported for it.", ex);
        }
    }

    private static byte[]? KeyBytes(object key) => key switch
    {
        byte[] bytes when bytes.Length == 32 => bytes,
        object[] items when items.Length == 32 && items.All(i => i is byte or int) =>
            items.Select(i => Convert.ToByte(i, CultureInfo.InvariantCulture)).ToArray(),
        string hex when hex.Length == 64 && hex.All(Uri.IsHexDigit) => Convert.FromHexString(hex),
        _ => null,
    };

    private static FileBlake3 WithOutboard(string path, string outboardPath)
    {
        if (System.IO.Path.GetDirectoryName(outboardPath) is { } folder && !Directory.Exists(folder))
        {
            throw new LogToolsException(
                "OutboardFolderNotFound", ErrorKind.ObjectNotFound, outboardPath, $"The folder of the outboard path '{outboardPath}' does not exist; create it or choose another path.");
        }

        using var content = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16);
        var length = content.Length;
        var root = AtomicFile.Write(outboardPath, outboard => Blake3Outboard.Encode(content, outboard, length));
        return new FileBlake3(HexDigest.Of(root), path, length, outboardPath);
    }
}
