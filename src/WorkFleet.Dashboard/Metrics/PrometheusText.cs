using System.Globalization;
using System.Text;

namespace WorkFleet.Dashboard.Metrics;

/// <summary>
/// Writes the Prometheus text exposition format (version 0.0.4): a HELP and TYPE line per metric family, then
/// one line per sample, label values escaped. Hand-written: the package mirror has no Prometheus exporter.
/// </summary>
public sealed class PrometheusText
{
    /// <summary>The content type scrapers expect.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly StringBuilder _text = new();

    /// <summary>Starts a metric family.</summary>
    /// <param name="name">Metric name, e.g. <c>workfleet_tasks_waiting</c>.</param>
    /// <param name="type"><c>counter</c>, <c>gauge</c> or <c>histogram</c>.</param>
    /// <param name="help">One line describing it.</param>
    public PrometheusText Family(string name, string type, string help)
    {
        _text.Append("# HELP ").Append(name).Append(' ').Append(help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)).Append('\n');
        _text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
        return this;
    }

    /// <summary>One sample: <c>name{label="value",...} value</c>.</summary>
    public PrometheusText Sample(string name, double value, params (string Name, string Value)[] labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        _text.Append(name);
        if (labels.Length > 0)
        {
            _text.Append('{');
            for (var i = 0; i < labels.Length; i++)
            {
                _text.Append(i == 0 ? "" : ",").Append(labels[i].Name).Append("=\"").Append(Escape(labels[i].Value)).Append('"');
            }

            _text.Append('}');
        }

        _text.Append(' ').Append(Number(value)).Append('\n');
        return this;
    }

    /// <inheritdoc />
    public override string ToString() => _text.ToString();

    /// <summary>A sample value or bucket bound: shortest round-trip form, <c>+Inf</c>/<c>-Inf</c>/<c>NaN</c> as Prometheus spells them.</summary>
    public static string Number(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf"
        : double.IsNegativeInfinity(value) ? "-Inf"
        : double.IsNaN(value) ? "NaN"
        : value.ToString("R", CultureInfo.InvariantCulture);

    private static string Escape(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
