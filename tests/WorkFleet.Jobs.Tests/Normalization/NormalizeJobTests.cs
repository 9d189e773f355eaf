using System.Text.Json;
using WorkFleet.Jobs.BuiltIn;
using WorkFleet.Jobs.BuiltIn.Normalization;
using WorkFleet.Jobs.Tests.Support;

namespace WorkFleet.Jobs.Tests.Normalization;

/// <summary>
/// The <c>preprocess.normalize</c> job through the registry. The 3x2 matrix [[1,-2],[3,0],[8,2]] has
/// column means 4 and 0 and population variances (9+1+16)/3 = 26/3 and (4+0+4)/3 = 8/3.
/// </summary>
public class NormalizeJobTests
{
    private const double Tolerance = 1e-5;
    private const string Matrix = "[[1,-2],[3,0],[8,2]]";

    private readonly IJobHandler _job = TestRegistry.BuiltIn(BuiltInJobTypes.Normalize);

    [Fact]
    public async Task Standardize_BatchStatistics_HandComputed()
    {
        NormalizeOutput output = await Run($$"""{"vectors":{{Matrix}},"method":"standardize"}""");

        double std0 = Math.Sqrt(26.0 / 3);
        double std1 = Math.Sqrt(8.0 / 3);
        AssertRows(
            [[-3 / std0, -2 / std1], [-1 / std0, 0], [4 / std0, 2 / std1]],
            output.Vectors);
        AssertClose([4, 0], output.Mean!);
        AssertClose([std0, std1], output.Std!);
        Assert.Null(output.Min);
        Assert.Null(output.Max);
    }

    [Fact]
    public async Task Standardize_GivenStatistics_AppliedInsteadOfBatch()
    {
        NormalizeOutput output = await Run($$"""{"vectors":{{Matrix}},"mean":[0,1],"std":[2,0.5]}""");

        AssertRows([[0.5, -6], [1.5, -2], [4, 2]], output.Vectors);
        AssertClose([0, 1], output.Mean!);
        AssertClose([2, 0.5], output.Std!);
    }

    [Fact]
    public async Task MinMax_BatchRange_HandComputed()
    {
        NormalizeOutput output = await Run($$"""{"vectors":{{Matrix}},"method":"minmax"}""");

        AssertRows([[0, 0], [2.0 / 7, 0.5], [1, 1]], output.Vectors);
        AssertClose([1, -2], output.Min!);
        AssertClose([8, 2], output.Max!);
        Assert.Null(output.Mean);
    }

    [Fact]
    public async Task MinMax_GivenRange_AppliedInsteadOfBatch()
    {
        NormalizeOutput output = await Run($$"""{"vectors":{{Matrix}},"method":"minmax","min":[0,-4],"max":[10,4]}""");

        AssertRows([[0.1, 0.25], [0.3, 0.5], [0.8, 0.75]], output.Vectors);
    }

    [Theory]
    [InlineData("standardize", 0.0)]
    [InlineData("minmax", 0.5)]
    public async Task Normalize_ConstantColumn_MapsToZero(string method, double middleOfSecondColumn)
    {
        // 0.1 is not exact in binary: the batch mean may differ from it by a rounding residue.
        NormalizeOutput output = await Run($$"""{"vectors":[[0.1,1],[0.1,2],[0.1,3]],"method":"{{method}}"}""");

        Assert.All(output.Vectors, row => Assert.Equal(0f, row[0]));
        Assert.Equal(middleOfSecondColumn, output.Vectors[1][1], Tolerance);
    }

    [Fact]
    public async Task Standardize_GivenZeroStd_FeatureMapsToZero()
    {
        NormalizeOutput output = await Run("""{"vectors":[[5,1],[7,2]],"mean":[1,0],"std":[0,1]}""");

        AssertRows([[0, 1], [0, 2]], output.Vectors);
    }

    [Fact]
    public async Task Normalize_Output_UsesDocumentedJsonNames()
    {
        JsonElement output = await _job.ExecuteAsync(
            TestJson.Parse("""{"vectors":[[1],[3]],"method":"minmax"}"""), CancellationToken.None);

        Assert.Equal("""{"vectors":[[0],[1]],"min":[1],"max":[3]}""", output.GetRawText());
    }

    [Fact]
    public async Task Normalize_MismatchedVectorLength_ThrowsJobInputExceptionNamingTheIndex()
    {
        var exception = await Assert.ThrowsAsync<JobInputException>(() => _job.ExecuteAsync(
            TestJson.Parse("""{"vectors":[[1,2],[3,4],[5,6],[7,8,9]]}"""), CancellationToken.None));

        Assert.Equal(
            "preprocess.normalize: 'vectors[3]' has length 3 but vectors[0] has length 2",
            exception.Message);
    }

    [Theory]
    [InlineData("""{"vectors":[]}""", "'vectors' must contain 1 to 10000 vectors but has 0")]
    [InlineData("""{"vectors":[[]]}""", "'vectors[0]' must have 1 to 65536 elements but has 0")]
    [InlineData("""{"vectors":[[1],null]}""", "'vectors[1]' is null")]
    [InlineData("""{"vectors":[[1],[2]],"mean":[0]}""", "'mean' and 'std' must be given together")]
    [InlineData("""{"vectors":[[1],[2]],"mean":[0,0],"std":[1,1]}""", "'mean' has length 2 but the vectors have length 1")]
    [InlineData("""{"vectors":[[1],[2]],"mean":[0],"std":[-1]}""", "'std[0]' is negative")]
    [InlineData("""{"vectors":[[1],[2]],"method":"minmax","min":[2],"max":[1]}""", "'max[0]' is less than 'min[0]'")]
    [InlineData("""{"vectors":[[1],[2]],"method":"minmax","mean":[0],"std":[1]}""", "'mean' and 'std' apply only to method \"standardize\"")]
    [InlineData("""{"vectors":[[1],[2]],"method":"zscore"}""", "'$.method'")]
    [InlineData("""{"vectors":[[1],["x"]]}""", "'$.vectors[1][0]'")]
    [InlineData("""{"vectors":[[1],[1e39]]}""", "'vectors[1][0]' is not a finite number")]
    public async Task Normalize_InvalidInput_ThrowsJobInputExceptionNamingTheField(string json, string expected)
    {
        var exception = await Assert.ThrowsAsync<JobInputException>(
            () => _job.ExecuteAsync(TestJson.Parse(json), CancellationToken.None));

        Assert.StartsWith("preprocess.normalize: ", exception.Message, StringComparison.Ordinal);
        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_PreCancelledToken_ThrowsOperationCanceled()
    {
        var handler = new NormalizeJobHandler();
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => handler.HandleAsync(new NormalizeInput { Vectors = [[1f], [2f]] }, cancellation.Token));
    }

    private static void AssertRows(double[][] expected, IReadOnlyList<float[]> actual)
    {
        Assert.Equal(expected.Length, actual.Count);
        for (int i = 0; i < expected.Length; i++)
        {
            AssertClose(expected[i], actual[i]);
        }
    }

    private static void AssertClose(double[] expected, IReadOnlyList<float> actual)
    {
        Assert.Equal(expected.Length, actual.Count);
        for (int j = 0; j < expected.Length; j++)
        {
            Assert.Equal(expected[j], actual[j], Tolerance);
        }
    }

    private async Task<NormalizeOutput> Run(string json) =>
        TestJson.Read<NormalizeOutput>(await _job.ExecuteAsync(TestJson.Parse(json), CancellationToken.None));
}
