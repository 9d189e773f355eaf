using System.Globalization;
using System.Text;

namespace WorkFleet.Jobs.BuiltIn.Tokenization;

/// <summary>
/// The text clean-up before WordPiece: NFKC, optional case folding, control and format characters
/// removed, whitespace runs as separators, and every punctuation or symbol character a word of its own.
/// </summary>
internal static class TextNormalizer
{
    /// <summary>Normalizes <paramref name="text"/> and yields its words in order, lazily.</summary>
    public static IEnumerable<string> SplitWords(string text, bool lowercase)
    {
        string normalized = text.Normalize(NormalizationForm.FormKC);
        if (lowercase)
        {
            normalized = normalized.ToLowerInvariant();
        }

        var word = new StringBuilder();
        foreach (Rune rune in normalized.EnumerateRunes())
        {
            // Tab, CR and LF are control characters too, but separate words like any whitespace.
            if (Rune.IsWhiteSpace(rune))
            {
                if (word.Length > 0)
                {
                    yield return word.ToString();
                    word.Clear();
                }
            }
            else if (IsRemoved(rune))
            {
                continue;
            }
            else if (Rune.IsPunctuation(rune) || Rune.IsSymbol(rune))
            {
                if (word.Length > 0)
                {
                    yield return word.ToString();
                    word.Clear();
                }

                yield return rune.ToString();
            }
            else
            {
                AppendRune(word, rune);
            }
        }

        if (word.Length > 0)
        {
            yield return word.ToString();
        }
    }

    // U+FFFD stands for ill-formed UTF-16 (a lone surrogate) in EnumerateRunes; it carries no text.
    private static bool IsRemoved(Rune rune) =>
        rune == Rune.ReplacementChar
        || Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format;

    private static void AppendRune(StringBuilder builder, Rune rune)
    {
        Span<char> buffer = stackalloc char[2];
        int length = rune.EncodeToUtf16(buffer);
        builder.Append(buffer[..length]);
    }
}
