namespace WorkFleet.Jobs.BuiltIn.Tokenization;

/// <summary>
/// BERT-style tokenization: <see cref="TextNormalizer"/> clean-up, then greedy longest-match-first
/// WordPiece against a <see cref="WordPieceVocabulary"/>. Stateless and thread-safe.
/// </summary>
/// <param name="vocabulary">The vocabulary to split words with.</param>
public sealed class WordPieceTokenizer(WordPieceVocabulary vocabulary)
{
    /// <summary>Words longer than this (in UTF-16 code units) become <c>[UNK]</c> without being split.</summary>
    public const int MaxWordLength = 100;

    /// <summary>The vocabulary in use.</summary>
    public WordPieceVocabulary Vocabulary { get; } = vocabulary ?? throw new ArgumentNullException(nameof(vocabulary));

    /// <summary>Splits a text into word pieces, without special tokens or padding.</summary>
    /// <param name="text">The text.</param>
    /// <param name="lowercase">Whether to fold case first.</param>
    /// <returns>The pieces, continuation pieces with their <c>##</c>.</returns>
    public IReadOnlyList<string> Tokenize(string text, bool lowercase)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>();
        AppendPieces(text, lowercase, int.MaxValue, ids);
        return [.. ids.Select(Vocabulary.GetToken)];
    }

    /// <summary>
    /// Encodes a text as <c>[CLS] pieces [SEP]</c>, truncated (keeping <c>[SEP]</c> last) or padded with
    /// <c>[PAD]</c> to exactly <paramref name="maxLength"/> tokens. With a length of 1 only <c>[CLS]</c> fits.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <param name="maxLength">The sequence length, at least 1.</param>
    /// <param name="lowercase">Whether to fold case first.</param>
    /// <returns>Tokens, ids and attention mask, each of length <paramref name="maxLength"/>.</returns>
    public TokenizedText Encode(string text, int maxLength, bool lowercase)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);

        var ids = new List<int>(maxLength) { Vocabulary.ClassifierId };
        if (maxLength >= 2)
        {
            AppendPieces(text, lowercase, maxLength - 2, ids);
            ids.Add(Vocabulary.SeparatorId);
        }

        var mask = new int[maxLength];
        Array.Fill(mask, 1, 0, ids.Count);
        while (ids.Count < maxLength)
        {
            ids.Add(Vocabulary.PadId);
        }

        return new TokenizedText
        {
            Tokens = [.. ids.Select(Vocabulary.GetToken)],
            InputIds = ids,
            AttentionMask = mask,
        };
    }

    private void AppendPieces(string text, bool lowercase, int maxPieces, List<int> ids)
    {
        int start = ids.Count;
        if (maxPieces <= 0)
        {
            return;
        }

        // Words are produced lazily, so a long text stops being split once the sequence is full.
        foreach (string word in TextNormalizer.SplitWords(text, lowercase))
        {
            AppendWordPieces(word, ids);
            if (ids.Count - start >= maxPieces)
            {
                ids.RemoveRange(start + maxPieces, ids.Count - start - maxPieces);
                return;
            }
        }
    }

    private void AppendWordPieces(string word, List<int> ids)
    {
        if (word.Length > MaxWordLength)
        {
            ids.Add(Vocabulary.UnknownId);
            return;
        }

        int firstPiece = ids.Count;
        int start = 0;
        while (start < word.Length)
        {
            int end = Math.Min(word.Length, start + Vocabulary.MaxPieceLength);
            int pieceId = -1;
            for (; end > start; end--)
            {
                if (Vocabulary.TryGetPiece(word.AsSpan(start, end - start), continuation: start > 0, out pieceId))
                {
                    break;
                }
            }

            if (end == start)
            {
                // One unmatched part makes the whole word unknown, as in BERT.
                ids.RemoveRange(firstPiece, ids.Count - firstPiece);
                ids.Add(Vocabulary.UnknownId);
                return;
            }

            ids.Add(pieceId);
            start = end;
        }
    }
}
