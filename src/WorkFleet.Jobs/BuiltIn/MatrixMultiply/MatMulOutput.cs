namespace WorkFleet.Jobs.BuiltIn.MatrixMultiply;

/// <summary>
/// Result of <c>compute.matmul</c>. JSON: <c>{"size": 64, "checksum": 12.34, "frobeniusNorm": 512.1, "elapsedMs": 0.8}</c>.
/// </summary>
public sealed record MatMulOutput
{
    /// <summary>Rows and columns of the product.</summary>
    public required int Size { get; init; }

    /// <summary>Sum of all elements of C, accumulated in double: equal across machines up to float rounding.</summary>
    public required double Checksum { get; init; }

    /// <summary>Square root of the sum of the squared elements of C.</summary>
    public required double FrobeniusNorm { get; init; }

    /// <summary>Wall-clock milliseconds spent multiplying (all repeats, generation excluded).</summary>
    public required double ElapsedMs { get; init; }
}
