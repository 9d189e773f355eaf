using System.Security;

namespace WorkFleet.Simulation.Plotting;

/// <summary>What every hand-written chart of the simulator shares: the document's opening and text escaping.</summary>
internal static class SvgDocument
{
    /// <summary>
    /// Opens the document: the root element (<paramref name="width"/> × <paramref name="height"/>, formatted by the
    /// caller), a white background and the bold title. The caller writes the rest and <c>&lt;/svg&gt;</c>.
    /// </summary>
    public static void Open(TextWriter writer, string width, string height, string title)
    {
        writer.WriteLine($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"13\">");
        writer.WriteLine($"<rect width=\"{width}\" height=\"{height}\" fill=\"#ffffff\"/>");
        writer.WriteLine($"<text x=\"20\" y=\"30\" font-size=\"18\" font-weight=\"bold\" fill=\"#222\">{Escape(title)}</text>");
    }

    /// <summary>Text made safe for an SVG element or attribute.</summary>
    public static string Escape(string text) => SecurityElement.Escape(text) ?? string.Empty;
}
