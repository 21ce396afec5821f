namespace LogTools.Engine.Store;

/// <summary>
/// A row's column as its UTF-8 bytes (valid only during the call) when <paramref name="isText"/>, empty when the
/// value is not text; returns false to stop reading.
/// </summary>
public delegate bool Utf8Row(ReadOnlySpan<byte> text, bool isText);
