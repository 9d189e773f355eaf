using WorkFleet.Jobs.BuiltIn.Tokenization;

namespace WorkFleet.Jobs.Tests.Tokenization;

public class WordPieceVocabularyTests
{
    [Fact]
    public void Default_SpecialTokens_AtTheDocumentedIds()
    {
        WordPieceVocabulary vocabulary = WordPieceVocabulary.Default;

        Assert.Equal(
            ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"],
            Enumerable.Range(0, 5).Select(vocabulary.GetToken));
        Assert.Equal((0, 1, 2, 3), (vocabulary.PadId, vocabulary.UnknownId, vocabulary.ClassifierId, vocabulary.SeparatorId));
    }

    [Fact]
    public void Default_EveryLetterAndDigit_PresentAlsoAsContinuation()
    {
        WordPieceVocabulary vocabulary = WordPieceVocabulary.Default;

        foreach (char c in "abcdefghijklmnopqrstuvwxyz0123456789")
        {
            Assert.True(vocabulary.TryGetId(c.ToString(), out _), $"'{c}' is missing");
            Assert.True(vocabulary.TryGetId("##" + c, out _), $"'##{c}' is missing");
        }
    }

    [Fact]
    public void Default_Size_AFewThousandTokens()
    {
        Assert.InRange(WordPieceVocabulary.Default.Count, 2000, 10_000);
    }

    [Fact]
    public void Load_CustomVocabulary_IdsAreLineNumbers()
    {
        using var reader = new StringReader("[PAD]\r\n[UNK]\r\n[CLS]\r\n[SEP]\r\nplay\r\n##ing\r\n");
        var vocabulary = WordPieceVocabulary.Load(reader);
        var tokenizer = new WordPieceTokenizer(vocabulary);

        TokenizedText result = tokenizer.Encode("Playing", maxLength: 5, lowercase: true);

        Assert.Equal([2, 4, 5, 3, 0], result.InputIds);
        Assert.True(vocabulary.TryGetId("##ing", out int id));
        Assert.Equal(5, id);
    }

    [Fact]
    public void Constructor_MissingSpecialToken_ThrowsNamingIt()
    {
        var exception = Assert.Throws<InvalidDataException>(() => new WordPieceVocabulary(["[PAD]", "[UNK]", "[CLS]", "a"]));

        Assert.Contains("[SEP]", exception.Message, StringComparison.Ordinal);
    }
}
