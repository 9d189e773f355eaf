namespace WorkFleet.Jobs.Tensors;

/// <summary>One named float32 tensor of a <see cref="SafeTensorsFile"/>, row-major.</summary>
public sealed class SafeTensor
{
    /// <summary>Creates a tensor.</summary>
    /// <param name="name">Its name in the file, e.g. <c>layers.0.weight</c>.</param>
    /// <param name="shape">Its dimensions, outermost first; empty for a scalar.</param>
    /// <param name="data">Its elements, row-major; as many as the shape's product.</param>
    /// <exception cref="ArgumentException">The name is empty, a dimension is negative, or the data does not fit the shape.</exception>
    public SafeTensor(string name, IReadOnlyList<int> shape, ReadOnlyMemory<float> data)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(shape);
        long count = 1;
        foreach (int dimension in shape)
        {
            if (dimension < 0)
            {
                throw new ArgumentException($"Tensor '{name}' has a negative dimension in shape [{string.Join(", ", shape)}].", nameof(shape));
            }

            count *= dimension;
        }

        if (count != data.Length)
        {
            throw new ArgumentException(
                $"Tensor '{name}' has shape [{string.Join(", ", shape)}] ({count} elements) but {data.Length} values.", nameof(data));
        }

        Name = name;
        Shape = [.. shape];
        Data = data;
    }

    /// <summary>Its name in the file.</summary>
    public string Name { get; }

    /// <summary>Its dimensions, outermost first.</summary>
    public IReadOnlyList<int> Shape { get; }

    /// <summary>Its elements, row-major.</summary>
    public ReadOnlyMemory<float> Data { get; }
}
