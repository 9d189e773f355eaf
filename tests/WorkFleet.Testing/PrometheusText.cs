using System.Globalization;
using System.Text;
using Xunit;

namespace WorkFleet.Testing;

/// <summary>One sample of a Prometheus text page: series name, labels, value.</summary>
public sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>
/// A Prometheus text page (format 0.0.4) parsed strictly enough to catch a broken one: every sample belongs to a family
/// declared by a <c># TYPE</c> line before it (histograms through their <c>_bucket</c>, <c>_sum</c> and <c>_count</c>
/// series), label values are quoted and escaped, values are numbers; an optional timestamp may follow the value.
/// </summary>
public sealed class PrometheusText
{
    private static readonly string[] HistogramSuffixes = ["_bucket", "_sum", "_count"];

    private PrometheusText(IReadOnlyDictionary<string, string> types, IReadOnlyList<PrometheusSample> samples)
    {
        Types = types;
        Samples = samples;
    }

    /// <summary>Metric families by name, to their declared type (<c>counter</c>, <c>gauge</c>, <c>histogram</c>...).</summary>
    public IReadOnlyDictionary<string, string> Types { get; }

    /// <summary>Every sample, in page order.</summary>
    public IReadOnlyList<PrometheusSample> Samples { get; }

    /// <summary>Parses <paramref name="page"/>.</summary>
    /// <exception cref="FormatException">A line is not valid exposition text, or a sample has no TYPE line before it.</exception>
    public static PrometheusText Parse(string page)
    {
        ArgumentNullException.ThrowIfNull(page);
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var samples = new List<PrometheusSample>();
        foreach (var line in page.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line["# TYPE ".Length..].Split(' ');
                if (parts.Length != 2 || !types.TryAdd(parts[0], parts[1]))
                {
                    throw new FormatException($"Bad or repeated TYPE line: {line}");
                }
            }
            else if (!line.StartsWith('#'))
            {
                var sample = ParseSample(line);
                if (Family(sample.Name, types) is null)
                {
                    throw new FormatException($"Sample of a family without a TYPE line before it: {line}");
                }

                samples.Add(sample);
            }
        }

        return new PrometheusText(types, samples);
    }

    /// <summary>The samples of series <paramref name="name"/> that carry at least <paramref name="labels"/>.</summary>
    public IEnumerable<PrometheusSample> Find(string name, params (string Name, string Value)[] labels) =>
        Samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Name, out var v) && v == l.Value));

    /// <summary>The value of the one sample of <paramref name="name"/> with <paramref name="labels"/>; fails when none or several match.</summary>
    public double Value(string name, params (string Name, string Value)[] labels) => Assert.Single(Find(name, labels)).Value;

    private static string? Family(string sampleName, Dictionary<string, string> types)
    {
        if (types.ContainsKey(sampleName))
        {
            return sampleName;
        }

        var suffix = HistogramSuffixes.FirstOrDefault(s => sampleName.EndsWith(s, StringComparison.Ordinal));
        var family = suffix is null ? null : sampleName[..^suffix.Length];
        return family is not null && types.TryGetValue(family, out var type) && type is "histogram" or "summary" ? family : null;
    }

    private static PrometheusSample ParseSample(string line)
    {
        var i = 0;
        while (i < line.Length && (char.IsAsciiLetterOrDigit(line[i]) || line[i] is '_' or ':'))
        {
            i++;
        }

        var name = line[..i];
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (name.Length == 0)
        {
            throw new FormatException($"Sample without a name: {line}");
        }

        if (i < line.Length && line[i] == '{')
        {
            i = ParseLabels(line, i + 1, labels);
        }

        var rest = line[i..].Trim().Split(' ');
        if (rest.Length is < 1 or > 2 || !TryNumber(rest[0], out var value))
        {
            throw new FormatException($"Sample without a numeric value: {line}");
        }

        return new PrometheusSample(name, labels, value);
    }

    private static int ParseLabels(string line, int i, Dictionary<string, string> labels)
    {
        while (i < line.Length && line[i] != '}')
        {
            var equals = line.IndexOf('=', i);
            if (equals < 0 || equals + 1 >= line.Length || line[equals + 1] != '"')
            {
                throw new FormatException($"Bad label at {i}: {line}");
            }

            var label = line[i..equals];
            var value = new StringBuilder();
            var j = equals + 2;
            for (; j < line.Length && line[j] != '"'; j++)
            {
                if (line[j] == '\\' && j + 1 < line.Length)
                {
                    j++;
                    value.Append(line[j] == 'n' ? '\n' : line[j]);
                }
                else
                {
                    value.Append(line[j]);
                }
            }

            if (j >= line.Length || !labels.TryAdd(label, value.ToString()))
            {
                throw new FormatException($"Unterminated or repeated label {label}: {line}");
            }

            i = j + 1 < line.Length && line[j + 1] == ',' ? j + 2 : j + 1;
        }

        return i < line.Length ? i + 1 : throw new FormatException($"Unterminated labels: {line}");
    }

    private static bool TryNumber(string text, out double value)
    {
        switch (text)
        {
            case "+Inf":
                value = double.PositiveInfinity;
                return true;
            case "-Inf":
                value = double.NegativeInfinity;
                return true;
            case "NaN":
                value = double.NaN;
                return true;
            default:
                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        }
    }
}
