using System.Management.Automation.Host;

namespace LogTools.Cli;

/// <summary>
/// Just enough of a console for the formatter: the width tables are laid out to (the terminal's, or
/// 120 columns when redirected, which the module's views are designed to fit).
/// </summary>
internal sealed class ConsoleHostRawUserInterface : PSHostRawUserInterface
{
    private const int RedirectedWidth = 120;

    public override ConsoleColor BackgroundColor { get; set; } = ConsoleColor.Black;

    public override ConsoleColor ForegroundColor { get; set; } = ConsoleColor.Gray;

    public override Size BufferSize
    {
        get => new(Width(), 9999);
        set { }
    }

    public override Coordinates CursorPosition { get; set; }

    public override int CursorSize { get; set; } = 25;

    public override bool KeyAvailable => false;

    public override Size MaxPhysicalWindowSize => new(Width(), 9999);

    public override Size MaxWindowSize => new(Width(), 9999);

    public override Coordinates WindowPosition { get; set; }

    public override Size WindowSize
    {
        get => new(Width(), 50);
        set { }
    }

    public override string WindowTitle { get; set; } = "logtools";

    public override void FlushInputBuffer()
    {
    }

    public override BufferCell[,] GetBufferContents(Rectangle rectangle) => throw new NotSupportedException("logtools has no screen buffer.");

    public override KeyInfo ReadKey(ReadKeyOptions options) => throw ConsoleHost.NotInteractive();

    public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill)
    {
    }

    public override void SetBufferContents(Coordinates origin, BufferCell[,] contents)
    {
    }

    public override void SetBufferContents(Rectangle rectangle, BufferCell fill)
    {
    }

    private static int Width()
    {
        if (Console.IsOutputRedirected)
        {
            return RedirectedWidth;
        }

        try
        {
            return Console.WindowWidth > 0 ? Console.WindowWidth : RedirectedWidth;
        }
        catch (IOException)
        {
            return RedirectedWidth;
        }
    }
}
