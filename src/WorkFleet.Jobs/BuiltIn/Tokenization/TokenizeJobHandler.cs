using System.ComponentModel;

namespace WorkFleet.Jobs.BuiltIn.Tokenization;

/// <summary>
/// The <c>preprocess.tokenize</c> job: BERT-style text normalization and WordPiece tokenization of a
/// batch of texts. Runs synchronously on the calling thread and checks for cancellation between texts.
/// </summary>
/// <param name="tokenizer">The tokenizer, holding the vocabulary.</param>
[Description("BERT-style text normalization and WordPiece tokenization with padding/truncation and attention masks.")]
public sealed class TokenizeJobHandler(WordPieceTokenizer tokenizer) : IJobHandler<TokenizeInput, TokenizeOutput>
{
    /// <inheritdoc />
    /// <remarks>Expects input that passed <see cref="TokenizeInput.Validate"/>, as the registry ensures.</remarks>
    public Task<TokenizeOutput> HandleAsync(TokenizeInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);

        var results = new TokenizedText[input.Texts.Count];
        for (int i = 0; i < results.Length; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            results[i] = tokenizer.Encode(input.Texts[i], input.MaxLength, input.Lowercase);
        }

        return Task.FromResult(new TokenizeOutput { Results = results });
    }
}
