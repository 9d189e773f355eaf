using System.ComponentModel;

namespace WorkFleet.Jobs.BuiltIn.MatrixMultiply;

/// <summary>
/// Input of <c>compute.matmul</c>: a CPU-bound kernel standing in for a dense inference layer.
/// </summary>
/// <remarks>
/// JSON: <c>{"size": 64, "seed": 1, "repeat": 1}</c>, every field optional.
/// <list type="bullet">
/// <item><c>size</c>: the matrices are size x size, 1 to 512; default 64.</item>
/// <item><c>seed</c>: seeds the generator of A and B; default 1.</item>
/// <item><c>repeat</c>: how many times C = A·B is computed, 1 to 100; default 1.</item>
/// </list>
/// A and B are reproducible in any language: the seed, as a 64-bit two's-complement integer, is mixed
/// with the SplitMix64 finalizer (<c>z = seed + 0x9E3779B97F4A7C15; z = (z ^ z &gt;&gt; 30) * 0xBF58476D1CE4E5B9;
/// z = (z ^ z &gt;&gt; 27) * 0x94D049BB133111EB; z ^= z &gt;&gt; 31</c>, a result of 0 becomes 0x9E3779B97F4A7C15)
/// into the state of a xorshift64 generator (<c>x ^= x &lt;&lt; 13; x ^= x &gt;&gt; 7; x ^= x &lt;&lt; 17</c>). Each
/// step yields the element <c>(x &gt;&gt; 40) / 2^23 - 1</c>, a float in [-1, 1); A is filled row by row,
/// then B. The result is a <see cref="MatMulOutput"/>.
/// </remarks>
[Description("Sizes and seed of a reproducible dense matrix product C = A*B (a CPU-bound stand-in for a dense layer).")]
public sealed record MatMulInput : IValidatableJobInput
{
    /// <summary>Largest allowed <see cref="Size"/>.</summary>
    public const int MaxSize = 512;

    /// <summary>Largest allowed <see cref="Repeat"/>.</summary>
    public const int MaxRepeat = 100;

    /// <summary>Rows and columns of A, B and C; default 64.</summary>
    [Description("Rows and columns of A, B and C, 1 to 512.")]
    [DefaultValue(64)]
    public int Size { get; init; } = 64;

    /// <summary>Seed of the generator of A and B; default 1.</summary>
    [Description("Seed of the documented xorshift64 generator of A and B.")]
    [DefaultValue(1)]
    public int Seed { get; init; } = 1;

    /// <summary>How many times the product is computed; default 1.</summary>
    [Description("How many times the product is computed, 1 to 100.")]
    [DefaultValue(1)]
    public int Repeat { get; init; } = 1;

    /// <inheritdoc />
    public IEnumerable<string> Validate()
    {
        if (Size is < 1 or > MaxSize)
        {
            yield return $"'size' must be between 1 and {MaxSize} but is {Size}";
        }

        if (Repeat is < 1 or > MaxRepeat)
        {
            yield return $"'repeat' must be between 1 and {MaxRepeat} but is {Repeat}";
        }
    }
}
