using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace WorkFleet.Cli.Demo;

/// <summary>A reproducible mix of real built-in jobs: tokenization, feature scaling and dense matrix products.</summary>
public static class DemoWorkload
{
    private static readonly string[] Sentences =
    [
        "The quick brown fox jumps over the lazy dog.",
        "Weighted least-load sends work where it will finish first!",
        "Tokenizers split TEXT into word pieces, then into ids.",
        "Heartbeats arrive once a second; the ledger fills the gaps.",
        "Ｆｕｌｌ-width letters and the ﬁ ligature are normalized too.",
        "Workers come and go; no task is lost on the way.",
    ];

    /// <summary>The (job type, payload) of task <paramref name="index"/>.</summary>
    public static (string JobType, JsonElement Payload) Create(int index, int seed)
    {
        var random = new Random(HashCode.Combine(seed, index));
        return (index % 3) switch
        {
            0 => ("preprocess.tokenize", Tokenize(random)),
            1 => ("preprocess.normalize", Normalize(random)),
            _ => ("compute.matmul", MatMul(random)),
        };
    }

    private static JsonElement Tokenize(Random random)
    {
        var texts = new JsonArray();
        for (var i = 0; i < 16; i++)
        {
            texts.Add(Sentences[random.Next(Sentences.Length)]);
        }

        return ToElement(new JsonObject { ["texts"] = texts, ["maxLength"] = 32, ["lowercase"] = true });
    }

    private static JsonElement Normalize(Random random)
    {
        var vectors = new JsonArray();
        for (var i = 0; i < 64; i++)
        {
            var row = new JsonArray();
            for (var j = 0; j < 32; j++)
            {
                row.Add(Math.Round((random.NextDouble() * 100) - 50, 3));
            }

            vectors.Add(row);
        }

        return ToElement(new JsonObject { ["vectors"] = vectors, ["method"] = random.Next(2) == 0 ? "standardize" : "minmax" });
    }

    private static JsonElement MatMul(Random random) =>
        ToElement(new JsonObject { ["size"] = 64 + (random.Next(4) * 16), ["seed"] = random.Next(1000), ["repeat"] = 2 });

    private static JsonElement ToElement(JsonNode node) =>
        JsonDocument.Parse(node.ToJsonString()).RootElement.Clone();

    /// <summary>Parses a weight list such as <c>1,2,4</c>.</summary>
    public static IReadOnlyList<double> ParseWeights(string text) =>
        [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(w => double.TryParse(w, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v > 0
                ? v
                : throw new FormatException($"--weights: '{w}' is not a positive number."))];
}
