namespace WorkFleet.Jobs.BuiltIn.ImageResize;

/// <summary>
/// Result of <c>preprocess.resize</c>: a CHW float tensor. JSON: <c>{"shape": [3, 224, 224], "data": [-2.1179, ...]}</c>,
/// <c>data</c> holding the R plane, then G, then B, each row by row.
/// </summary>
public sealed record ResizeOutput
{
    /// <summary><c>[3, height, width]</c>.</summary>
    public required IReadOnlyList<int> Shape { get; init; }

    /// <summary>3 × height × width normalized values, channel-major (CHW).</summary>
    public required IReadOnlyList<float> Data { get; init; }
}
