// Builds src/WorkFleet.Jobs/Resources/vocab.txt from the texts beside this file (a .NET 10
// file-based app), run from the repository root:
//
//   dotnet run src/WorkFleet.Jobs/Tools/BuildVocab.cs -- src/WorkFleet.Jobs/Resources/vocab.txt \
//       src/WorkFleet.Jobs/Tools/vocab-corpus.txt src/WorkFleet.Jobs/Tools/common-words.txt
//
// Layout: special tokens, single characters, their "##" continuation forms, then subwords learned
// by byte-pair-style merges over the input words (most frequent adjacent pair first, ties broken
// ordinally, pairs seen fewer than MinPairFrequency times are never merged), then every input word
// that the merges did not already produce. The output is deterministic: the same inputs give the
// same file.
using System.Globalization;
using System.Text;

const int MaxVocabularySize = 8000;
const int MinPairFrequency = 2;

if (args.Length < 2)
{
    Console.Error.WriteLine("usage: BuildVocab.cs <vocab.txt> <input.txt>...");
    return 2;
}

string[] specialTokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];
string letters = "abcdefghijklmnopqrstuvwxyz";
string digits = "0123456789";
string punctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~\u2018\u2019\u201C\u201D\u2013\u2014\u00A7\u00B0\u00D7\u2022\u20AC\u00A3";

var vocabulary = new List<string>(specialTokens);
vocabulary.AddRange(letters.Select(c => c.ToString()));
vocabulary.AddRange(digits.Select(c => c.ToString()));
vocabulary.AddRange(punctuation.Select(c => c.ToString()));
// Punctuation is always split off as its own word, so only letters and digits continue a word.
vocabulary.AddRange((letters + digits).Select(c => "##" + c));
var known = new HashSet<string>(vocabulary, StringComparer.Ordinal);

// Word frequencies, normalized the way the runtime tokenizer normalizes text.
var wordCounts = new Dictionary<string, int>(StringComparer.Ordinal);
string text = string.Join('\n', args.Skip(1).Select(File.ReadAllText)).Normalize(NormalizationForm.FormKC).ToLowerInvariant();
var word = new StringBuilder();
foreach (char c in text + " ")
{
    if (char.IsLetterOrDigit(c))
    {
        word.Append(c);
        continue;
    }

    if (word.Length > 0)
    {
        string w = word.ToString();
        wordCounts[w] = wordCounts.GetValueOrDefault(w) + 1;
        word.Clear();
    }
}

// Each distinct word as its current list of symbols: "w", "##o", "##r", "##d".
var words = wordCounts
    .OrderBy(pair => pair.Key, StringComparer.Ordinal)
    .Select(pair => (Symbols: pair.Key.Select((c, i) => i == 0 ? c.ToString() : "##" + c).ToList(), Count: pair.Value))
    .ToList();

foreach (string symbol in words.SelectMany(w => w.Symbols).Distinct().Order(StringComparer.Ordinal))
{
    if (known.Add(symbol))
    {
        vocabulary.Add(symbol);
    }
}

while (vocabulary.Count < MaxVocabularySize)
{
    var pairCounts = new Dictionary<(string Left, string Right), int>();
    foreach (var (symbols, count) in words)
    {
        for (int i = 0; i + 1 < symbols.Count; i++)
        {
            var pair = (symbols[i], symbols[i + 1]);
            pairCounts[pair] = pairCounts.GetValueOrDefault(pair) + count;
        }
    }

    if (pairCounts.Count == 0)
    {
        break;
    }

    var best = pairCounts
        .OrderByDescending(p => p.Value)
        .ThenBy(p => Merge(p.Key.Left, p.Key.Right), StringComparer.Ordinal)
        .First();
    if (best.Value < MinPairFrequency)
    {
        break;
    }

    string merged = Merge(best.Key.Left, best.Key.Right);
    foreach (var (symbols, _) in words)
    {
        for (int i = 0; i + 1 < symbols.Count; i++)
        {
            if (symbols[i] == best.Key.Left && symbols[i + 1] == best.Key.Right)
            {
                symbols[i] = merged;
                symbols.RemoveAt(i + 1);
            }
        }
    }

    if (known.Add(merged))
    {
        vocabulary.Add(merged);
    }
}

foreach (string whole in wordCounts.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key))
{
    if (vocabulary.Count < MaxVocabularySize && known.Add(whole))
    {
        vocabulary.Add(whole);
    }
}

File.WriteAllText(args[0], string.Join('\n', vocabulary) + "\n", new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
Console.WriteLine(string.Create(
    CultureInfo.InvariantCulture,
    $"{vocabulary.Count} tokens from {wordCounts.Count} distinct words ({wordCounts.Values.Sum()} in all) -> {args[0]}"));
return 0;

// The right symbol of a pair is always a continuation ("##..."); its prefix goes away on merge.
static string Merge(string left, string right) => left + right[2..];
