namespace WorkFleet.Jobs.BuiltIn.MatrixMultiply;

/// <summary>
/// The documented generator of <see cref="MatMulInput"/>: xorshift64 seeded through SplitMix64, chosen
/// over <see cref="Random"/> because producers in other languages must be able to reproduce it.
/// </summary>
internal sealed class XorShiftRandom
{
    private const ulong GoldenGamma = 0x9E3779B97F4A7C15;

    private ulong _state;

    public XorShiftRandom(long seed)
    {
        ulong z = unchecked((ulong)seed + GoldenGamma);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        z ^= z >> 31;
        // xorshift never leaves the all-zero state.
        _state = z == 0 ? GoldenGamma : z;
    }

    /// <summary>The next element, uniform in [-1, 1) on a grid of 2^-23.</summary>
    public float NextSigned()
    {
        _state ^= _state << 13;
        _state ^= _state >> 7;
        _state ^= _state << 17;
        return (float)((_state >> 40) / 8_388_608.0 - 1.0);
    }

    /// <summary>Fills <paramref name="destination"/> with successive elements.</summary>
    public void Fill(Span<float> destination)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = NextSigned();
        }
    }
}
