using System.ComponentModel;

namespace WorkFleet.Jobs.BuiltIn.Tokenization;

/// <summary>
/// Input of <c>preprocess.tokenize</c>: texts to normalize and split into WordPiece tokens.
/// </summary>
/// <remarks>
/// JSON: <c>{"texts": ["Hello, world!"], "maxLength": 32, "lowercase": true}</c>.
/// <list type="bullet">
/// <item><c>texts</c> (required): 1 to 1024 strings, each at most 100,000 characters.</item>
/// <item><c>maxLength</c>: tokens per text including <c>[CLS]</c> and <c>[SEP]</c>, 1 to 4096; default 128.
/// Longer sequences are truncated (keeping <c>[SEP]</c> last), shorter ones padded with <c>[PAD]</c>.</item>
/// <item><c>lowercase</c>: fold case before the vocabulary lookup; default <c>true</c> (the shipped vocabulary is lowercase).</item>
/// </list>
/// The result is a <see cref="TokenizeOutput"/>.
/// </remarks>
[Description("Texts to normalize (NFKC, case folding, punctuation split) and WordPiece-tokenize into fixed-length id sequences.")]
public sealed record TokenizeInput : IValidatableJobInput
{
    /// <summary>Most texts in one job.</summary>
    public const int MaxTexts = 1024;

    /// <summary>Most characters (UTF-16 code units) in one text.</summary>
    public const int MaxTextLength = 100_000;

    /// <summary>Largest allowed <see cref="MaxLength"/>.</summary>
    public const int MaxSequenceLength = 4096;

    /// <summary>The texts to tokenize; one result per text, in order.</summary>
    [Description("1 to 1024 texts, each at most 100,000 characters; one result per text, in order.")]
    public required IReadOnlyList<string> Texts { get; init; }

    /// <summary>Tokens per text including <c>[CLS]</c> and <c>[SEP]</c>; default 128.</summary>
    [Description("Tokens per text including [CLS] and [SEP], 1 to 4096; longer texts are truncated, shorter ones padded with [PAD].")]
    [DefaultValue(128)]
    public int MaxLength { get; init; } = 128;

    /// <summary>Whether to fold case (invariant lowercasing); default <c>true</c>.</summary>
    [Description("Fold case before the vocabulary lookup (the shipped vocabulary is lowercase).")]
    [DefaultValue(true)]
    public bool Lowercase { get; init; } = true;

    /// <inheritdoc />
    public IEnumerable<string> Validate()
    {
        if (MaxLength is < 1 or > MaxSequenceLength)
        {
            yield return $"'maxLength' must be between 1 and {MaxSequenceLength} but is {MaxLength}";
        }

        if (Texts is null)
        {
            yield return "'texts' is required";
            yield break;
        }

        if (Texts.Count is < 1 or > MaxTexts)
        {
            yield return $"'texts' must contain 1 to {MaxTexts} texts but has {Texts.Count}";
            yield break;
        }

        for (int i = 0; i < Texts.Count; i++)
        {
            if (Texts[i] is null)
            {
                yield return $"'texts[{i}]' is null";
            }
            else if (Texts[i].Length > MaxTextLength)
            {
                yield return $"'texts[{i}]' has {Texts[i].Length} characters but at most {MaxTextLength} are allowed";
            }
        }
    }
}
