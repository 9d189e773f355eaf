using System.Text.Json;
using WorkFleet.Jobs.BuiltIn;
using WorkFleet.Jobs.BuiltIn.Tokenization;
using WorkFleet.Jobs.Tests.Support;

namespace WorkFleet.Jobs.Tests.Tokenization;

/// <summary>The <c>preprocess.tokenize</c> job through the registry: its JSON contract and its input checks.</summary>
public class TokenizeJobTests
{
    private readonly IJobHandler _job = TestRegistry.BuiltIn(BuiltInJobTypes.Tokenize);

    [Fact]
    public async Task Tokenize_Batch_ReturnsOneResultPerTextInDocumentedJsonShape()
    {
        JsonElement output = await _job.ExecuteAsync(
            TestJson.Parse("""{"texts":["Hello, World!","dog"],"maxLength":4}"""), CancellationToken.None);

        JsonElement results = output.GetProperty("results");
        Assert.Equal(2, results.GetArrayLength());
        Assert.Equal(
            """{"tokens":["[CLS]","hello",",","[SEP]"],"inputIds":[2,2748,52,3],"attentionMask":[1,1,1,1]}""",
            results[0].GetRawText());
        Assert.Equal(
            """{"tokens":["[CLS]","dog","[SEP]","[PAD]"],"inputIds":[2,920,3,0],"attentionMask":[1,1,1,0]}""",
            results[1].GetRawText());
    }

    [Fact]
    public async Task Tokenize_DefaultOptions_LowercasesAndPadsTo128()
    {
        JsonElement output = await _job.ExecuteAsync(TestJson.Parse("""{"texts":["DOG"]}"""), CancellationToken.None);

        TokenizedText result = TestJson.Read<TokenizeOutput>(output).Results.Single();
        Assert.Equal(128, result.InputIds.Count);
        Assert.Equal(["[CLS]", "dog", "[SEP]", "[PAD]"], result.Tokens.Take(4));
        Assert.Equal(3, result.AttentionMask.Sum());
    }

    [Theory]
    [InlineData("""{"texts":["a"],"maxLength":0}""", "'maxLength' must be between 1 and 4096 but is 0")]
    [InlineData("""{"texts":["a"],"maxLength":4097}""", "'maxLength' must be between 1 and 4096 but is 4097")]
    [InlineData("""{"texts":[]}""", "'texts' must contain 1 to 1024 texts but has 0")]
    [InlineData("""{"texts":["a",null]}""", "'texts[1]' is null")]
    [InlineData("""{"maxLength":4}""", "'texts'")]
    [InlineData("""{"texts":"a"}""", "'$.texts'")]
    public async Task Tokenize_InvalidInput_ThrowsJobInputExceptionNamingTheField(string json, string expected)
    {
        var exception = await Assert.ThrowsAsync<JobInputException>(
            () => _job.ExecuteAsync(TestJson.Parse(json), CancellationToken.None));

        Assert.StartsWith("preprocess.tokenize: ", exception.Message, StringComparison.Ordinal);
        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tokenize_TooManyTextsAndTooLongText_Rejected()
    {
        string tooMany = JsonSerializer.Serialize(new { texts = Enumerable.Repeat("a", TokenizeInput.MaxTexts + 1) });
        string tooLong = JsonSerializer.Serialize(new { texts = new[] { "ok", new string('a', TokenizeInput.MaxTextLength + 1) } });

        var manyError = await Assert.ThrowsAsync<JobInputException>(
            () => _job.ExecuteAsync(TestJson.Parse(tooMany), CancellationToken.None));
        var longError = await Assert.ThrowsAsync<JobInputException>(
            () => _job.ExecuteAsync(TestJson.Parse(tooLong), CancellationToken.None));

        Assert.Contains("'texts' must contain 1 to 1024 texts but has 1025", manyError.Message, StringComparison.Ordinal);
        Assert.Contains("'texts[1]' has 100001 characters", longError.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_PreCancelledToken_ThrowsOperationCanceled()
    {
        var handler = new TokenizeJobHandler(new WordPieceTokenizer(WordPieceVocabulary.Default));
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => handler.HandleAsync(new TokenizeInput { Texts = ["hello"] }, cancellation.Token));
    }
}
