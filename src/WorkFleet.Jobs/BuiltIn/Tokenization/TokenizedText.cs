namespace WorkFleet.Jobs.BuiltIn.Tokenization;

/// <summary>One text as a fixed-length token sequence; all three lists have the requested length.</summary>
public sealed record TokenizedText
{
    /// <summary>The tokens: <c>[CLS]</c>, the word pieces, <c>[SEP]</c>, then <c>[PAD]</c> up to the length.</summary>
    public required IReadOnlyList<string> Tokens { get; init; }

    /// <summary>Each token's id: its zero-based line number in the vocabulary.</summary>
    public required IReadOnlyList<int> InputIds { get; init; }

    /// <summary>1 for a real token (including <c>[CLS]</c> and <c>[SEP]</c>), 0 for padding.</summary>
    public required IReadOnlyList<int> AttentionMask { get; init; }
}
