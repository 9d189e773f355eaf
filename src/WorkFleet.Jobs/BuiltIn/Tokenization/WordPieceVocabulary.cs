using System.Reflection;
using System.Text;

namespace WorkFleet.Jobs.BuiltIn.Tokenization;

/// <summary>
/// A WordPiece vocabulary: one token per line, a token's id is its zero-based line number, and a
/// token starting with <c>##</c> continues a word. It must contain <c>[PAD]</c>, <c>[UNK]</c>,
/// <c>[CLS]</c> and <c>[SEP]</c>. Immutable and safe to share between threads.
/// </summary>
public sealed class WordPieceVocabulary
{
    /// <summary>Pads a sequence to its length.</summary>
    public const string PadToken = "[PAD]";

    /// <summary>Stands for a word the vocabulary cannot spell.</summary>
    public const string UnknownToken = "[UNK]";

    /// <summary>Starts every sequence.</summary>
    public const string ClassifierToken = "[CLS]";

    /// <summary>Ends every sequence.</summary>
    public const string SeparatorToken = "[SEP]";

    /// <summary>Marks a piece that continues a word, e.g. <c>##ing</c>.</summary>
    public const string ContinuationPrefix = "##";

    private const string EmbeddedResourceName = "WorkFleet.Jobs.Resources.vocab.txt";

    private static readonly Lazy<WordPieceVocabulary> _default = new(LoadEmbedded);

    private readonly string[] _tokens;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _wordStarts;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _continuations;

    /// <summary>Creates a vocabulary from its tokens in id order.</summary>
    /// <param name="tokens">The tokens; the first occurrence of a repeated token keeps its id.</param>
    /// <exception cref="InvalidDataException">A required special token is missing.</exception>
    public WordPieceVocabulary(IEnumerable<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        _tokens = [.. tokens];

        // Continuation pieces are stored without their "##" so a span of the word can be looked up directly.
        var wordStarts = new Dictionary<string, int>(StringComparer.Ordinal);
        var continuations = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int id = 0; id < _tokens.Length; id++)
        {
            string token = _tokens[id];
            bool isContinuation = token.Length > ContinuationPrefix.Length
                && token.StartsWith(ContinuationPrefix, StringComparison.Ordinal);
            if (isContinuation)
            {
                continuations.TryAdd(token[ContinuationPrefix.Length..], id);
            }
            else
            {
                wordStarts.TryAdd(token, id);
            }

            MaxPieceLength = Math.Max(MaxPieceLength, isContinuation ? token.Length - ContinuationPrefix.Length : token.Length);
        }

        _wordStarts = wordStarts.GetAlternateLookup<ReadOnlySpan<char>>();
        _continuations = continuations.GetAlternateLookup<ReadOnlySpan<char>>();
        PadId = RequireSpecial(PadToken);
        UnknownId = RequireSpecial(UnknownToken);
        ClassifierId = RequireSpecial(ClassifierToken);
        SeparatorId = RequireSpecial(SeparatorToken);
    }

    /// <summary>The vocabulary shipped with WorkFleet (<c>Resources/vocab.txt</c>), loaded once.</summary>
    public static WordPieceVocabulary Default => _default.Value;

    /// <summary>Number of tokens (ids are 0 to <c>Count - 1</c>).</summary>
    public int Count => _tokens.Length;

    /// <summary>Id of <see cref="PadToken"/>.</summary>
    public int PadId { get; }

    /// <summary>Id of <see cref="UnknownToken"/>.</summary>
    public int UnknownId { get; }

    /// <summary>Id of <see cref="ClassifierToken"/>.</summary>
    public int ClassifierId { get; }

    /// <summary>Id of <see cref="SeparatorToken"/>.</summary>
    public int SeparatorId { get; }

    /// <summary>Length of the longest piece, without <c>##</c>: no longer match needs to be tried.</summary>
    internal int MaxPieceLength { get; }

    /// <summary>Reads a vocabulary in <c>vocab.txt</c> format: one token per line.</summary>
    /// <param name="reader">The text; line ends may be LF or CRLF.</param>
    /// <returns>The vocabulary.</returns>
    public static WordPieceVocabulary Load(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var tokens = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            tokens.Add(line);
        }

        return new WordPieceVocabulary(tokens);
    }

    /// <summary>The token with the given id.</summary>
    /// <param name="id">The id, 0 to <c>Count - 1</c>.</param>
    /// <returns>The token as written in the vocabulary, with its <c>##</c> if it has one.</returns>
    public string GetToken(int id)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(id);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(id, _tokens.Length);
        return _tokens[id];
    }

    /// <summary>Finds a token's id.</summary>
    /// <param name="token">The token as written in the vocabulary, e.g. <c>##ing</c>.</param>
    /// <param name="id">Its id when found.</param>
    /// <returns><c>true</c> when the vocabulary contains <paramref name="token"/>.</returns>
    public bool TryGetId(string token, out int id)
    {
        ArgumentNullException.ThrowIfNull(token);
        bool isContinuation = token.Length > ContinuationPrefix.Length
            && token.StartsWith(ContinuationPrefix, StringComparison.Ordinal);
        return isContinuation
            ? _continuations.TryGetValue(token.AsSpan(ContinuationPrefix.Length), out id)
            : _wordStarts.TryGetValue(token, out id);
    }

    /// <summary>Finds a piece of a word: the word's start, or (with <paramref name="continuation"/>) a later part.</summary>
    internal bool TryGetPiece(ReadOnlySpan<char> piece, bool continuation, out int id) =>
        continuation ? _continuations.TryGetValue(piece, out id) : _wordStarts.TryGetValue(piece, out id);

    private static WordPieceVocabulary LoadEmbedded()
    {
        using Stream stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(EmbeddedResourceName)
            ?? throw new InvalidOperationException($"The embedded resource '{EmbeddedResourceName}' is missing.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return Load(reader);
    }

    private int RequireSpecial(string token) =>
        _wordStarts.TryGetValue(token, out int id)
            ? id
            : throw new InvalidDataException($"The vocabulary has no '{token}' token.");
}
