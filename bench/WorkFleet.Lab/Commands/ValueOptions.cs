using System.CommandLine;
using System.Globalization;

namespace WorkFleet.Lab.Commands;

/// <summary>
/// Options whose value is parsed by the command itself, so that a bad value exits with code 2 and a message
/// naming the option (System.CommandLine's own conversion errors name neither the range nor the value).
/// </summary>
internal static class ValueOptions
{
    /// <summary>An option taking one text value.</summary>
    public static Option<string?> Create(string name, string description) =>
        new(name) { Description = description, Arity = ArgumentArity.ZeroOrOne };

    /// <summary>The option's text, or null when it is absent; an option given without a value is an error.</summary>
    public static string? Text(ParseResult result, Option<string?> option)
    {
        if (result.GetResult(option) is null)
        {
            return null;
        }

        var text = result.GetValue(option);
        return string.IsNullOrWhiteSpace(text) ? throw new FormatException($"{option.Name} needs a value.") : text.Trim();
    }

    /// <summary>A whole number, optionally within <paramref name="min"/>..<paramref name="max"/>.</summary>
    public static int Int(Option option, string text, int? min = null, int? max = null) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && (min is null || value >= min) && (max is null || value <= max)
            ? value
            : throw new FormatException(min is null && max is null
                ? $"{option.Name}: '{text}' is not a whole number."
                : $"{option.Name}: '{text}' is not a whole number in {min}..{max}.");

    /// <summary>A finite number, optionally passing <paramref name="isValid"/> (described by <paramref name="range"/>).</summary>
    public static double Number(Option option, string text, Func<double, bool>? isValid = null, string? range = null) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) && (isValid is null || isValid(value))
            ? value
            : throw new FormatException(range is null
                ? $"{option.Name}: '{text}' is not a number."
                : $"{option.Name}: '{text}' is not a number {range}.");
}
