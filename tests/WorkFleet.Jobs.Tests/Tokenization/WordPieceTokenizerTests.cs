using WorkFleet.Jobs.BuiltIn.Tokenization;

namespace WorkFleet.Jobs.Tests.Tokenization;

/// <summary>
/// Expected tokens and ids were read off the shipped Resources/vocab.txt by hand (id = line number - 1)
/// and cross-checked with an independent script; they change only when the vocabulary is rebuilt.
/// </summary>
public class WordPieceTokenizerTests
{
    private readonly WordPieceTokenizer _tokenizer = new(WordPieceVocabulary.Default);

    [Fact]
    public void Encode_PlainSentence_MatchesVocabularyIds()
    {
        TokenizedText result = _tokenizer.Encode("The quick brown fox jumps over the lazy dog.", maxLength: 12, lowercase: true);

        Assert.Equal(
            ["[CLS]", "the", "quick", "brown", "fox", "jumps", "over", "the", "lazy", "dog", ".", "[SEP]"],
            result.Tokens);
        Assert.Equal([2, 128, 583, 1611, 2674, 2848, 510, 128, 2873, 920, 54, 3], result.InputIds);
        Assert.Equal(Enumerable.Repeat(1, 12), result.AttentionMask);
    }

    [Fact]
    public void Tokenize_PunctuationAndCase_SplitsAndFolds()
    {
        IReadOnlyList<string> tokens = _tokenizer.Tokenize("Hello,World!  CAT & dog's", lowercase: true);

        Assert.Equal(["hello", ",", "world", "!", "cat", "&", "dog", "'", "s"], tokens);
    }

    [Fact]
    public void Tokenize_WordsMissingFromVocabulary_SplitIntoContinuationPieces()
    {
        IReadOnlyList<string> tokens = _tokenizer.Tokenize("unbelievably workloads", lowercase: true);

        Assert.Equal(["un", "##be", "##l", "##ie", "##v", "##ab", "##ly", "work", "##l", "##oad", "##s"], tokens);
    }

    [Fact]
    public void Encode_ContinuationPieces_UseContinuationIds()
    {
        TokenizedText result = _tokenizer.Encode("rewritten schedulers", maxLength: 9, lowercase: true);

        Assert.Equal(["[CLS]", "re", "##w", "##ri", "##t", "##ten", "scheduler", "##s", "[SEP]"], result.Tokens);
        Assert.Equal([2, 159, 107, 198, 104, 424, 3320, 103, 3], result.InputIds);
    }

    [Theory]
    [InlineData("\uFB01le", "file")] // LATIN SMALL LIGATURE FI
    [InlineData("\uFF28\uFF25\uFF2C\uFF2C\uFF2F", "hello")] // FULLWIDTH HELLO
    [InlineData("\u2460", "1")] // CIRCLED DIGIT ONE
    public void Tokenize_CompatibilityCharacters_NormalizedByNfkc(string text, string expected)
    {
        IReadOnlyList<string> tokens = _tokenizer.Tokenize(text, lowercase: true);

        Assert.Equal([expected], tokens);
    }

    [Fact]
    public void Tokenize_UnspellableWords_BecomeUnknownAsAWhole()
    {
        // 'ï', 'λ' and the emoji are not in the vocabulary; "ok" is spelled from single characters.
        IReadOnlyList<string> tokens = _tokenizer.Tokenize("na\u00EFve \u03BB \U0001F642 ok", lowercase: true);

        Assert.Equal(["[UNK]", "[UNK]", "[UNK]", "o", "##k"], tokens);
    }

    [Fact]
    public void Tokenize_LowercaseDisabled_UppercaseWordIsUnknown()
    {
        IReadOnlyList<string> tokens = _tokenizer.Tokenize("Hello hello", lowercase: false);

        Assert.Equal(["[UNK]", "hello"], tokens);
    }

    [Fact]
    public void Tokenize_ControlCharactersAndWhitespaceRuns_StrippedAndCollapsed()
    {
        // NUL and ZERO WIDTH SPACE are removed inside words; tabs and line breaks separate words.
        IReadOnlyList<string> tokens = _tokenizer.Tokenize("a\u0000b \t\n  c\u200Bd\r\nend", lowercase: true);

        Assert.Equal(["ab", "c", "##d", "end"], tokens);
    }

    [Fact]
    public void Tokenize_SpecialTokenSpelledInText_IsNotSpecial()
    {
        IReadOnlyList<string> tokens = _tokenizer.Tokenize("[CLS]", lowercase: true);

        Assert.Equal(["[", "cl", "##s", "]"], tokens);
    }

    [Fact]
    public void Tokenize_WordLongerThanLimit_IsUnknown()
    {
        IReadOnlyList<string> tokens = _tokenizer.Tokenize(new string('a', WordPieceTokenizer.MaxWordLength + 1), lowercase: true);

        Assert.Equal(["[UNK]"], tokens);
    }

    [Fact]
    public void Encode_LongerThanMaxLength_TruncatesKeepingSeparatorLast()
    {
        TokenizedText result = _tokenizer.Encode("The quick brown fox jumps over the lazy dog.", maxLength: 5, lowercase: true);

        Assert.Equal(["[CLS]", "the", "quick", "brown", "[SEP]"], result.Tokens);
        Assert.Equal([2, 128, 583, 1611, 3], result.InputIds);
        Assert.Equal([1, 1, 1, 1, 1], result.AttentionMask);
    }

    [Fact]
    public void Encode_TruncationInsideAWord_KeepsLeadingPieces()
    {
        TokenizedText result = _tokenizer.Encode("unbelievably", maxLength: 4, lowercase: true);

        Assert.Equal(["[CLS]", "un", "##be", "[SEP]"], result.Tokens);
    }

    [Fact]
    public void Encode_ShorterThanMaxLength_PadsAndMasksPadding()
    {
        TokenizedText result = _tokenizer.Encode("Hello, World!", maxLength: 8, lowercase: true);

        Assert.Equal(["[CLS]", "hello", ",", "world", "!", "[SEP]", "[PAD]", "[PAD]"], result.Tokens);
        Assert.Equal([2, 2748, 52, 1326, 41, 3, 0, 0], result.InputIds);
        Assert.Equal([1, 1, 1, 1, 1, 1, 0, 0], result.AttentionMask);
    }

    [Fact]
    public void Encode_EmptyText_OnlySpecialTokensAndPadding()
    {
        TokenizedText result = _tokenizer.Encode(" \t ", maxLength: 4, lowercase: true);

        Assert.Equal(["[CLS]", "[SEP]", "[PAD]", "[PAD]"], result.Tokens);
        Assert.Equal([1, 1, 0, 0], result.AttentionMask);
    }

    [Theory]
    [InlineData(1, new[] { "[CLS]" })]
    [InlineData(2, new[] { "[CLS]", "[SEP]" })]
    public void Encode_TinyMaxLength_KeepsSpecialTokensThatFit(int maxLength, string[] expected)
    {
        TokenizedText result = _tokenizer.Encode("hello world", maxLength, lowercase: true);

        Assert.Equal(expected, result.Tokens);
    }
}
