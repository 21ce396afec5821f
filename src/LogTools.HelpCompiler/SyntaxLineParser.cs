using System.Text;

namespace LogTools.HelpCompiler;

/// <summary>Reads a syntax line such as <c>Get-X [-Name] &lt;String&gt; [-Force] [&lt;CommonParameters&gt;]</c>.</summary>
/// <remarks>The forms, as Get-Help prints them: <c>-N &lt;T&gt;</c> required, <c>[-N &lt;T&gt;]</c> optional,
/// <c>[-N] &lt;T&gt;</c> required positional, <c>[[-N] &lt;T&gt;]</c> optional positional, <c>-S</c> / <c>[-S]</c>
/// switches. A type may also be written as a value set, <c>{A | B}</c>.</remarks>
internal sealed class SyntaxLineParser
{
    private readonly List<string> _tokens;
    private int _next;

    private SyntaxLineParser(List<string> tokens) => _tokens = tokens;

    /// <summary>Parses <paramref name="code"/>; returns an error message, or null on success.</summary>
    public static string? TryParse(string code, out string command, out List<SyntaxParameter> parameters)
    {
        command = string.Empty;
        parameters = [];
        var tokens = Tokenize(code, out var error);
        if (error is not null)
        {
            return error;
        }

        if (tokens.Count == 0 || IsDelimiter(tokens[0]) || IsParameter(tokens[0]))
        {
            return "a syntax line starts with the cmdlet name";
        }

        command = tokens[0];
        var parser = new SyntaxLineParser(tokens) { _next = 1 };
        while (parser._next < tokens.Count)
        {
            error = parser.ReadElement(parameters);
            if (error is not null)
            {
                return error;
            }
        }

        return null;
    }

    private string? ReadElement(List<SyntaxParameter> parameters)
    {
        if (!Accept("["))
        {
            var name = Peek();
            if (!IsParameter(name))
            {
                return $"unexpected '{name}'";
            }

            Skip();
            parameters.Add(new SyntaxParameter(name[1..], ReadType(), IsOptional: false, IsPositional: false));
            return null;
        }

        if (Accept("["))
        {
            var name = Peek();
            if (!IsParameter(name))
            {
                return "expected '[[-Name] <Type>]'";
            }

            Skip();
            var type = Accept("]") ? ReadType() : null;
            if (type is null || !Accept("]"))
            {
                return $"expected '[[{name}] <Type>]'";
            }

            parameters.Add(new SyntaxParameter(name[1..], type, IsOptional: true, IsPositional: true));
            return null;
        }

        var token = Peek();
        if (token is "<CommonParameters>" or "<WorkflowCommonParameters>")
        {
            Skip();
            return Accept("]") ? null : $"expected ']' after {token}";
        }

        if (!IsParameter(token))
        {
            return $"expected a parameter after '[', found '{token}'";
        }

        Skip();
        if (Accept("]"))
        {
            // [-Name] <Type> is required but positional; [-Switch] alone is an optional switch.
            var positionalType = ReadType();
            parameters.Add(new SyntaxParameter(token[1..], positionalType, IsOptional: positionalType is null, IsPositional: positionalType is not null));
            return null;
        }

        var optionalType = ReadType();
        if (optionalType is null || !Accept("]"))
        {
            return $"expected '[{token} <Type>]'";
        }

        parameters.Add(new SyntaxParameter(token[1..], optionalType, IsOptional: true, IsPositional: false));
        return null;
    }

    /// <summary>Consumes a type if one comes next; null when none does (a switch).</summary>
    private string? ReadType()
    {
        var token = Peek();
        if (token.Length < 2 || token[0] is not ('<' or '{'))
        {
            return null;
        }

        Skip();
        return token[0] == '<' ? token[1..^1] : token;
    }

    private string Peek() => _next < _tokens.Count ? _tokens[_next] : "end of line";

    private void Skip() => _next++;

    private bool Accept(string token)
    {
        if (_next < _tokens.Count && _tokens[_next] == token)
        {
            _next++;
            return true;
        }

        return false;
    }

    private static bool IsDelimiter(string token) => token is "[" or "]";

    private static bool IsParameter(string token) => token.Length > 1 && token[0] == '-';

    private static List<string> Tokenize(string code, out string? error)
    {
        error = null;
        var tokens = new List<string>();
        var i = 0;
        while (i < code.Length)
        {
            var c = code[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c is '[' or ']')
            {
                tokens.Add(c.ToString());
                i++;
            }
            else if (c is '<' or '{')
            {
                // Types may hold brackets and spaces (String[], Dictionary`2[String, Object]): read to the close.
                var close = c == '<' ? '>' : '}';
                var end = code.IndexOf(close, i);
                if (end < 0)
                {
                    error = $"'{c}' without '{close}'";
                    return tokens;
                }

                tokens.Add(code[i..(end + 1)]);
                i = end + 1;
            }
            else
            {
                var word = new StringBuilder();
                while (i < code.Length && !char.IsWhiteSpace(code[i]) && code[i] is not ('[' or ']' or '<' or '{'))
                {
                    word.Append(code[i++]);
                }

                tokens.Add(word.ToString());
            }
        }

        return tokens;
    }
}
