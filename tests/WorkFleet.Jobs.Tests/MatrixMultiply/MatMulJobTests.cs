using System.Text.Json;
using WorkFleet.Jobs.BuiltIn;
using WorkFleet.Jobs.BuiltIn.MatrixMultiply;
using WorkFleet.Jobs.Tests.Support;

namespace WorkFleet.Jobs.Tests.MatrixMultiply;

/// <summary>The <c>compute.matmul</c> job against a naive triple loop over the documented generator.</summary>
public class MatMulJobTests
{
    private readonly IJobHandler _job = TestRegistry.BuiltIn(BuiltInJobTypes.MatMul);

    [Theory]
    [InlineData(8, 1)]
    [InlineData(33, 42)]
    [InlineData(1, -7)]
    public async Task MatMul_Checksum_EqualsNaiveTripleLoop(int size, int seed)
    {
        (double expectedChecksum, double expectedNorm) = NaiveProduct(size, seed);

        MatMulOutput output = await Run($$"""{"size":{{size}},"seed":{{seed}},"repeat":2}""");

        // Dot products are summed in a different order than the naive loop: allow float rounding.
        double tolerance = 1e-4 * size * size;
        Assert.Equal(size, output.Size);
        Assert.Equal(expectedChecksum, output.Checksum, tolerance);
        Assert.Equal(expectedNorm, output.FrobeniusNorm, tolerance);
        Assert.True(output.ElapsedMs >= 0);
    }

    [Fact]
    public async Task MatMul_SameSeed_SameChecksum()
    {
        MatMulOutput first = await Run("""{"size":40,"seed":9}""");
        MatMulOutput second = await Run("""{"size":40,"seed":9}""");
        MatMulOutput otherSeed = await Run("""{"size":40,"seed":10}""");

        Assert.Equal(first.Checksum, second.Checksum);
        Assert.Equal(first.FrobeniusNorm, second.FrobeniusNorm);
        Assert.NotEqual(first.Checksum, otherSeed.Checksum);
    }

    [Fact]
    public async Task MatMul_EmptyInput_UsesDefaults()
    {
        MatMulOutput output = await Run("{}");

        Assert.Equal(64, output.Size);
        Assert.Equal(NaiveProduct(64, 1).Checksum, output.Checksum, 1e-4 * 64 * 64);
    }

    [Fact]
    public async Task MatMul_Output_UsesDocumentedJsonNames()
    {
        JsonElement output = await _job.ExecuteAsync(TestJson.Parse("""{"size":2}"""), CancellationToken.None);

        Assert.Equal(
            ["size", "checksum", "frobeniusNorm", "elapsedMs"],
            output.EnumerateObject().Select(property => property.Name));
    }

    [Theory]
    [InlineData("""{"size":0}""", "'size' must be between 1 and 512 but is 0")]
    [InlineData("""{"size":513}""", "'size' must be between 1 and 512 but is 513")]
    [InlineData("""{"repeat":101}""", "'repeat' must be between 1 and 100 but is 101")]
    [InlineData("""{"size":1.5}""", "'$.size'")]
    public async Task MatMul_InvalidInput_ThrowsJobInputExceptionNamingTheField(string json, string expected)
    {
        var exception = await Assert.ThrowsAsync<JobInputException>(
            () => _job.ExecuteAsync(TestJson.Parse(json), CancellationToken.None));

        Assert.StartsWith("compute.matmul: ", exception.Message, StringComparison.Ordinal);
        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Execute_PreCancelledToken_ThrowsOperationCanceled()
    {
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => _job.ExecuteAsync(TestJson.Parse("""{"size":512,"repeat":100}"""), cancellation.Token));
    }

    [Fact]
    public async Task HandleAsync_CancelledWhileRunning_ThrowsOperationCanceled()
    {
        var handler = new MatMulJobHandler();
        // 100 products of 512x512 take seconds; the per-row check stops the job long before that.
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => handler.HandleAsync(new MatMulInput { Size = 512, Repeat = 100 }, cancellation.Token));
    }

    private async Task<MatMulOutput> Run(string json) =>
        TestJson.Read<MatMulOutput>(await _job.ExecuteAsync(TestJson.Parse(json), CancellationToken.None));

    /// <summary>Generates A and B as MatMulInput documents, then C = A·B with three plain loops in double.</summary>
    private static (double Checksum, double Norm) NaiveProduct(int n, int seed)
    {
        ulong state = SplitMix64(unchecked((ulong)(long)seed));
        float[,] a = new float[n, n];
        float[,] b = new float[n, n];
        foreach (float[,] matrix in new[] { a, b })
        {
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    matrix[i, j] = (float)((state >> 40) / 8388608.0 - 1.0);
                }
            }
        }

        double checksum = 0;
        double squares = 0;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double c = 0;
                for (int k = 0; k < n; k++)
                {
                    c += (double)a[i, k] * b[k, j];
                }

                checksum += c;
                squares += c * c;
            }
        }

        return (checksum, Math.Sqrt(squares));
    }

    private static ulong SplitMix64(ulong seed)
    {
        ulong z = unchecked(seed + 0x9E3779B97F4A7C15);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        z ^= z >> 31;
        return z == 0 ? 0x9E3779B97F4A7C15 : z;
    }
}
