using System.CommandLine;
using System.Globalization;
using WorkFleet.Jobs.BuiltIn.Inference;
using WorkFleet.Jobs.Training.Digits;
using WorkFleet.Jobs.Training.Training;

// Run from the repository root; the defaults write where the library and its tests read.
const string DataDirectory = "src/WorkFleet.Jobs/Resources/Datasets";
const string ModelPath = "src/WorkFleet.Jobs/Resources/Models/digits-mlp.safetensors";
const string TrainFile = "digits-8x8-train.csv";
const string HeldOutFile = "digits-8x8-heldout.csv";

var generate = new Command("generate-digits", "Render the 8x8 digits dataset (train and held-out splits) from a seed");
var outDirectory = new Option<string>("--out") { Description = "Directory of the CSV files", DefaultValueFactory = _ => DataDirectory };
var dataSeed = new Option<ulong>("--seed") { Description = "Seed of the train split; the held-out split uses seed + 1", DefaultValueFactory = _ => 2026 };
var trainPerDigit = new Option<int>("--train-per-digit") { Description = "Training samples per digit", DefaultValueFactory = _ => 300 };
var heldOutPerDigit = new Option<int>("--heldout-per-digit") { Description = "Held-out samples per digit", DefaultValueFactory = _ => 100 };
generate.Options.Add(outDirectory);
generate.Options.Add(dataSeed);
generate.Options.Add(trainPerDigit);
generate.Options.Add(heldOutPerDigit);
generate.SetAction(result =>
{
    string directory = result.GetValue(outDirectory)!;
    ulong seed = result.GetValue(dataSeed);
    Directory.CreateDirectory(directory);
    DigitDataset.Generate(result.GetValue(trainPerDigit), seed).Write(Path.Combine(directory, TrainFile));
    DigitDataset.Generate(result.GetValue(heldOutPerDigit), seed + 1).Write(Path.Combine(directory, HeldOutFile));
    Console.WriteLine($"wrote {Path.Combine(directory, TrainFile)} and {Path.Combine(directory, HeldOutFile)}");
    return 0;
});

var train = new Command("train-mlp", "Train the digits MLP with Adam and write it as safetensors");
var dataDirectory = new Option<string>("--data") { Description = "Directory of the CSV files", DefaultValueFactory = _ => DataDirectory };
var modelPath = new Option<string>("--out") { Description = "Model file to write", DefaultValueFactory = _ => ModelPath };
var trainSeed = new Option<ulong>("--seed") { Description = "Seed of the initial weights and the batch order", DefaultValueFactory = _ => 7 };
var epochs = new Option<int>("--epochs") { Description = "Passes over the training split", DefaultValueFactory = _ => 60 };
var hidden = new Option<string>("--hidden") { Description = "Hidden layer widths", DefaultValueFactory = _ => "128,64" };
train.Options.Add(dataDirectory);
train.Options.Add(modelPath);
train.Options.Add(trainSeed);
train.Options.Add(epochs);
train.Options.Add(hidden);
train.SetAction(result =>
{
    const int BatchSize = 32;
    const float WeightDecay = 1e-4f;
    DigitDataset trainSet = DigitDataset.Read(Path.Combine(result.GetValue(dataDirectory)!, TrainFile));
    DigitDataset heldOut = DigitDataset.Read(Path.Combine(result.GetValue(dataDirectory)!, HeldOutFile));
    int[] sizes = [DigitDataset.Features, .. result.GetValue(hidden)!.Split(',').Select(w => int.Parse(w, CultureInfo.InvariantCulture)), 10];
    var random = new SplitMix64(result.GetValue(trainSeed));
    var trainer = new MlpTrainer(sizes, random);
    float[] features = trainSet.ScaledFeatures();
    int epochCount = result.GetValue(epochs);
    for (int epoch = 1; epoch <= epochCount; epoch++)
    {
        // Step decay: the rate halves at 50% and 75% of the epochs.
        float rate = 0.002f * (epoch > epochCount * 3 / 4 ? 0.25f : epoch > epochCount / 2 ? 0.5f : 1f);
        double loss = trainer.TrainEpoch(features, trainSet.Labels, BatchSize, rate, WeightDecay, random);
        if (epoch % 10 == 0 || epoch == epochCount)
        {
            Console.WriteLine($"epoch {epoch,3}: loss {loss:F4}");
        }
    }

    string layout = string.Join('-', sizes);
    var metadata = new Dictionary<string, string>
    {
        ["description"] = $"Digits 0-9 from 8x8 glyphs; {layout} ReLU MLP, softmax output.",
        ["input"] = "64 pixel intensities 0..15 of an 8x8 glyph, row by row (top row first).",
        ["dataset"] = $"{DataDirectory}/{TrainFile} ({trainSet.Count} samples); held-out {HeldOutFile} ({heldOut.Count})",
        ["training"] = $"Adam lr 0.002 (halved at 50% and 75%), batch {BatchSize}, L2 {WeightDecay}, {epochCount} epochs, seed {result.GetValue(trainSeed)}",
    };
    var unscaled = trainer.ToModel(MlpModelCatalog.DigitsModelName, 1f / GlyphRenderer.Levels, metadata);
    double trainAccuracy = Accuracy(unscaled, trainSet);
    double heldOutAccuracy = Accuracy(unscaled, heldOut);
    metadata["heldout_accuracy"] = heldOutAccuracy.ToString("F4", CultureInfo.InvariantCulture);
    var model = new MlpModel(unscaled.Name, unscaled.Layers, unscaled.Labels, metadata);

    string path = result.GetValue(modelPath)!;
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
    using (FileStream file = File.Create(path))
    {
        model.Save(file);
    }

    Console.WriteLine($"{layout}: train accuracy {trainAccuracy:P2}, held-out accuracy {heldOutAccuracy:P2} ({heldOut.Count} samples)");
    Console.WriteLine($"wrote {path} ({new FileInfo(path).Length} bytes)");
    return 0;
});

var root = new RootCommand("Builds the digits dataset and the digits-mlp model shipped with WorkFleet.Jobs") { generate, train };
return await root.Parse(args).InvokeAsync();

static double Accuracy(MlpModel model, DigitDataset data)
{
    float[] inputs = [.. data.Pixels.Select(value => (float)value)];
    var probabilities = new float[data.Count * model.OutputSize];
    model.Forward(inputs, data.Count, probabilities);
    int correct = 0;
    for (int i = 0; i < data.Count; i++)
    {
        ReadOnlySpan<float> row = probabilities.AsSpan(i * model.OutputSize, model.OutputSize);
        correct += System.Numerics.Tensors.TensorPrimitives.IndexOfMax(row) == data.Labels[i] ? 1 : 0;
    }

    return (double)correct / data.Count;
}
