using System.Text;
using System.Xml;

namespace LogTools.HelpCompiler;

/// <summary>Writes cmdlet help as MAML, the XML that PowerShell's help system reads for binary modules.</summary>
internal sealed class MamlWriter
{
    private const string MshNs = "http://msh";
    private const string MamlNs = "http://schemas.microsoft.com/maml/2004/10";
    private const string CommandNs = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private const string DevNs = "http://schemas.microsoft.com/maml/dev/2004/10";
    private const string MsHelpNs = "http://msdn.microsoft.com/mshelp";

    private readonly XmlWriter _xml;

    private MamlWriter(XmlWriter xml) => _xml = xml;

    /// <summary>The MAML document for <paramref name="cmdlets"/>, in the order given.</summary>
    public static byte[] Write(IEnumerable<CmdletHelp> cmdlets)
    {
        var settings = new XmlWriterSettings
        {
            Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            Indent = true,
            IndentChars = "  ",
            NewLineChars = "\n",
            NewLineHandling = NewLineHandling.Replace,
        };
        using var stream = new MemoryStream();
        using (var xml = XmlWriter.Create(stream, settings))
        {
            var writer = new MamlWriter(xml);
            xml.WriteStartDocument();
            xml.WriteStartElement("helpItems", MshNs);
            xml.WriteAttributeString("xmlns", MshNs);
            xml.WriteAttributeString("schema", "maml");
            foreach (var cmdlet in cmdlets)
            {
                writer.WriteCommand(cmdlet);
            }

            xml.WriteEndElement();
            xml.WriteEndDocument();
        }

        stream.WriteByte((byte)'\n');
        return stream.ToArray();
    }

    private void WriteCommand(CmdletHelp cmdlet)
    {
        _xml.WriteStartElement("command", "command", CommandNs);
        _xml.WriteAttributeString("xmlns", "maml", null, MamlNs);
        _xml.WriteAttributeString("xmlns", "command", null, CommandNs);
        _xml.WriteAttributeString("xmlns", "dev", null, DevNs);
        _xml.WriteAttributeString("xmlns", "MSHelp", null, MsHelpNs);

        _xml.WriteStartElement("details", CommandNs);
        _xml.WriteElementString("name", CommandNs, cmdlet.Name);
        _xml.WriteElementString("verb", CommandNs, cmdlet.Verb);
        _xml.WriteElementString("noun", CommandNs, cmdlet.Noun);
        WriteDescription([new ProseBlock(ProseKind.Paragraph, cmdlet.Synopsis)]);
        _xml.WriteEndElement();

        WriteDescription(cmdlet.Description);

        _xml.WriteStartElement("syntax", CommandNs);
        foreach (var set in cmdlet.Syntax)
        {
            _xml.WriteStartElement("syntaxItem", CommandNs);
            _xml.WriteElementString("name", MamlNs, cmdlet.Name);
            foreach (var used in set.Parameters)
            {
                var parameter = cmdlet.Parameters.First(p => p.Name.Equals(used.Name, StringComparison.OrdinalIgnoreCase));
                WriteParameter(parameter, parameter.For(set.Name)!);
            }

            _xml.WriteEndElement();
        }

        _xml.WriteEndElement();

        _xml.WriteStartElement("parameters", CommandNs);
        foreach (var parameter in cmdlet.Parameters)
        {
            // platyPS also keeps the first block here; the per-set differences show in the syntax items.
            WriteParameter(parameter, parameter.Metadata[0]);
        }

        _xml.WriteEndElement();

        WriteTypes("inputTypes", "inputType", cmdlet.Inputs);
        WriteTypes("returnValues", "returnValue", cmdlet.Outputs);

        _xml.WriteStartElement("alertSet", MamlNs);
        _xml.WriteStartElement("alert", MamlNs);
        WriteParas(cmdlet.Notes);
        _xml.WriteEndElement();
        _xml.WriteEndElement();

        _xml.WriteStartElement("examples", CommandNs);
        foreach (var example in cmdlet.Examples)
        {
            _xml.WriteStartElement("example", CommandNs);
            _xml.WriteElementString("title", MamlNs, $"-------------------------- {example.Title} --------------------------");
            _xml.WriteElementString("code", DevNs, example.Code);
            _xml.WriteStartElement("remarks", DevNs);
            WriteParas(example.Remarks);
            _xml.WriteEndElement();
            _xml.WriteEndElement();
        }

        _xml.WriteEndElement();

        _xml.WriteStartElement("relatedLinks", MamlNs);
        foreach (var link in cmdlet.Links)
        {
            _xml.WriteStartElement("navigationLink", MamlNs);
            _xml.WriteElementString("linkText", MamlNs, link.Text);
            _xml.WriteElementString("uri", MamlNs, link.Uri);
            _xml.WriteEndElement();
        }

        _xml.WriteEndElement();
        _xml.WriteEndElement();
    }

    private void WriteParameter(ParameterHelp parameter, ParameterMetadata metadata)
    {
        _xml.WriteStartElement("parameter", CommandNs);
        _xml.WriteAttributeString("required", Bool(metadata.Required));
        _xml.WriteAttributeString("variableLength", Bool(metadata.Type.EndsWith("[]", StringComparison.Ordinal)));
        _xml.WriteAttributeString("globbing", Bool(metadata.Globbing));
        _xml.WriteAttributeString("pipelineInput", metadata.PipelineInput);
        _xml.WriteAttributeString("position", metadata.Position);
        _xml.WriteAttributeString("aliases", metadata.Aliases);
        _xml.WriteElementString("name", MamlNs, parameter.Name);
        WriteDescription(parameter.Description);
        if (metadata.AcceptedValues.Count > 0)
        {
            // Get-Help shows the values as {A | B} in place of the type.
            _xml.WriteStartElement("parameterValueGroup", CommandNs);
            foreach (var value in metadata.AcceptedValues)
            {
                WriteParameterValue(value, required: false);
            }

            _xml.WriteEndElement();
        }

        if (!metadata.IsSwitch)
        {
            WriteParameterValue(metadata.Type, required: true);
        }

        _xml.WriteStartElement("type", DevNs);
        _xml.WriteElementString("name", MamlNs, metadata.Type);
        _xml.WriteElementString("uri", MamlNs, string.Empty);
        _xml.WriteEndElement();
        _xml.WriteElementString("defaultValue", DevNs, metadata.DefaultValue);
        _xml.WriteEndElement();
    }

    private void WriteParameterValue(string value, bool required)
    {
        _xml.WriteStartElement("parameterValue", CommandNs);
        _xml.WriteAttributeString("required", Bool(required));
        _xml.WriteAttributeString("variableLength", "false");
        _xml.WriteString(value);
        _xml.WriteEndElement();
    }

    private void WriteTypes(string listElement, string itemElement, IReadOnlyList<TypeHelp> types)
    {
        _xml.WriteStartElement(listElement, CommandNs);
        foreach (var type in types)
        {
            _xml.WriteStartElement(itemElement, CommandNs);
            _xml.WriteStartElement("type", DevNs);
            _xml.WriteElementString("name", MamlNs, type.Name);
            _xml.WriteEndElement();
            WriteDescription(type.Description);
            _xml.WriteEndElement();
        }

        _xml.WriteEndElement();
    }

    private void WriteDescription(IReadOnlyList<ProseBlock> prose)
    {
        _xml.WriteStartElement("description", MamlNs);
        WriteParas(prose);
        _xml.WriteEndElement();
    }

    private void WriteParas(IReadOnlyList<ProseBlock> prose)
    {
        foreach (var block in prose)
        {
            _xml.WriteElementString("para", MamlNs, block.ToPara());
        }
    }

    private static string Bool(bool value) => value ? "true" : "false";
}
