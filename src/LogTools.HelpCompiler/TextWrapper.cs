using System.Text;

namespace LogTools.HelpCompiler;

/// <summary>Word-wraps plain text for about topics, which are shown as they are written.</summary>
internal static class TextWrapper
{
    public const int Width = 80;

    /// <summary>Wraps <paramref name="text"/> so lines stay within <see cref="Width"/> columns (a word longer
    /// than that gets a line of its own); '\n' in the text starts a new line.</summary>
    public static IEnumerable<string> Wrap(string text, string firstPrefix, string restPrefix)
    {
        var prefix = firstPrefix;
        foreach (var hardLine in text.Split('\n'))
        {
            var line = new StringBuilder(prefix);
            var empty = true;
            foreach (var word in hardLine.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (!empty && line.Length + 1 + word.Length > Width)
                {
                    yield return line.ToString();
                    line.Clear().Append(restPrefix);
                    empty = true;
                }

                if (!empty)
                {
                    line.Append(' ');
                }

                line.Append(word);
                empty = false;
            }

            yield return line.ToString().TrimEnd();
            prefix = restPrefix;
        }
    }
}
