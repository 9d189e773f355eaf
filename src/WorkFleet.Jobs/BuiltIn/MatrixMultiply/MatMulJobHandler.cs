using System.ComponentModel;
using System.Diagnostics;
using System.Numerics.Tensors;

namespace WorkFleet.Jobs.BuiltIn.MatrixMultiply;

/// <summary>
/// The <c>compute.matmul</c> job: generates A and B from the seed and computes C = A·B with one
/// <see cref="TensorPrimitives.Dot(ReadOnlySpan{float}, ReadOnlySpan{float})"/> per element over rows of A
/// and rows of Bᵀ. Runs synchronously on the calling thread and checks for cancellation between rows of C.
/// </summary>
[Description("A dense matrix product kernel over generated matrices: checksum and Frobenius norm of the result.")]
public sealed class MatMulJobHandler : IJobHandler<MatMulInput, MatMulOutput>
{
    /// <inheritdoc />
    /// <remarks>Expects input that passed <see cref="MatMulInput.Validate"/>, as the registry ensures.</remarks>
    public Task<MatMulOutput> HandleAsync(MatMulInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        int n = input.Size;

        var a = new float[n * n];
        var b = new float[n * n];
        var random = new XorShiftRandom(input.Seed);
        random.Fill(a);
        random.Fill(b);
        float[] bTransposed = Transpose(b, n);

        var c = new float[n * n];
        long started = Stopwatch.GetTimestamp();
        for (int r = 0; r < input.Repeat; r++)
        {
            Multiply(a, bTransposed, c, n, cancellationToken);
        }

        TimeSpan elapsed = Stopwatch.GetElapsedTime(started);

        double checksum = 0;
        double squares = 0;
        foreach (float value in c)
        {
            checksum += value;
            squares += (double)value * value;
        }

        return Task.FromResult(new MatMulOutput
        {
            Size = n,
            Checksum = checksum,
            FrobeniusNorm = Math.Sqrt(squares),
            ElapsedMs = elapsed.TotalMilliseconds,
        });
    }

    private static void Multiply(float[] a, float[] bTransposed, float[] c, int n, CancellationToken cancellationToken)
    {
        for (int i = 0; i < n; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ReadOnlySpan<float> row = a.AsSpan(i * n, n);
            for (int j = 0; j < n; j++)
            {
                c[(i * n) + j] = TensorPrimitives.Dot(row, bTransposed.AsSpan(j * n, n));
            }
        }
    }

    private static float[] Transpose(float[] matrix, int n)
    {
        var transposed = new float[n * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                transposed[(j * n) + i] = matrix[(i * n) + j];
            }
        }

        return transposed;
    }
}
