namespace WorkFleet.Jobs.BuiltIn.Tokenization;

/// <summary>
/// Result of <c>preprocess.tokenize</c>. JSON:
/// <c>{"results": [{"tokens": ["[CLS]", "hello", ",", "world", "!", "[SEP]", "[PAD]"], "inputIds": [2, ...], "attentionMask": [1, 1, 1, 1, 1, 1, 0]}]}</c>.
/// </summary>
public sealed record TokenizeOutput
{
    /// <summary>One entry per input text, in input order.</summary>
    public required IReadOnlyList<TokenizedText> Results { get; init; }
}
