using System.Runtime.InteropServices;

namespace WorkFleet.Jobs.BuiltIn.Onnx.Export;

/// <summary>
/// The few messages of the ONNX schema (<c>onnx/onnx.proto</c>, IR version 8) an exported model needs, written
/// with <see cref="ProtoWriter"/>. Field numbers are the schema's; they never change between ONNX releases.
/// </summary>
internal static class OnnxProto
{
    /// <summary>The IR version written: 8 (ONNX 1.10+), read by every ONNX Runtime since 1.10.</summary>
    public const long IrVersion = 8;

    /// <summary><c>TensorProto.DataType.FLOAT</c>.</summary>
    public const int FloatElementType = 1;

    private const int AttributeTypeInt = 2;

    /// <summary>A <c>ModelProto</c>.</summary>
    public static ProtoWriter Model(string producerName, string producerVersion, string docString, int opsetVersion, ProtoWriter graph, IEnumerable<KeyValuePair<string, string>> metadata)
    {
        ProtoWriter model = new ProtoWriter()
            .Int64(1, IrVersion)                                   // ir_version
            .String(2, producerName)                               // producer_name
            .String(3, producerVersion)                            // producer_version
            .String(6, docString)                                  // doc_string
            .Message(7, graph)                                     // graph
            .Message(8, new ProtoWriter().String(1, string.Empty).Int64(2, opsetVersion)); // opset_import: the default domain
        foreach ((string key, string value) in metadata)
        {
            model.Message(14, new ProtoWriter().String(1, key).String(2, value)); // metadata_props
        }

        return model;
    }

    /// <summary>A <c>GraphProto</c>.</summary>
    public static ProtoWriter Graph(string name, IEnumerable<ProtoWriter> nodes, IEnumerable<ProtoWriter> initializers, ProtoWriter input, ProtoWriter output)
    {
        var graph = new ProtoWriter();
        foreach (ProtoWriter node in nodes)
        {
            graph.Message(1, node);                                // node
        }

        graph.String(2, name);                                     // name
        foreach (ProtoWriter initializer in initializers)
        {
            graph.Message(5, initializer);                         // initializer
        }

        return graph.Message(11, input).Message(12, output);       // input, output
    }

    /// <summary>A <c>NodeProto</c> of the default domain.</summary>
    public static ProtoWriter Node(string opType, string name, IEnumerable<string> inputs, string output, params ProtoWriter[] attributes)
    {
        var node = new ProtoWriter();
        foreach (string input in inputs)
        {
            node.String(1, input);                                 // input
        }

        node.String(2, output).String(3, name).String(4, opType);  // output, name, op_type
        foreach (ProtoWriter attribute in attributes)
        {
            node.Message(5, attribute);                            // attribute
        }

        return node;
    }

    /// <summary>An <c>AttributeProto</c> holding one integer.</summary>
    public static ProtoWriter IntAttribute(string name, long value) =>
        new ProtoWriter().String(1, name).Int64(3, value).Int64(20, AttributeTypeInt);   // name, i, type

    /// <summary>A float32 <c>TensorProto</c> with its values as little-endian <c>raw_data</c>.</summary>
    public static ProtoWriter FloatTensor(string name, IReadOnlyList<long> dims, ReadOnlySpan<float> values)
    {
        var tensor = new ProtoWriter();
        foreach (long dim in dims)
        {
            tensor.Int64(1, dim);                                  // dims
        }

        tensor.Int64(2, FloatElementType).String(8, name);         // data_type, name
        return BitConverter.IsLittleEndian
            ? tensor.Bytes(9, MemoryMarshal.AsBytes(values))       // raw_data
            : throw new PlatformNotSupportedException("ONNX raw_data is little-endian; exporting on a big-endian machine is not supported.");
    }

    /// <summary>
    /// A float32 <c>ValueInfoProto</c>: a graph input or output. Each dimension is a size (<see cref="long"/>)
    /// or a symbolic name (<see cref="string"/>), e.g. <c>"batch"</c>.
    /// </summary>
    public static ProtoWriter FloatValueInfo(string name, params object[] dims)
    {
        var shape = new ProtoWriter();
        foreach (object dim in dims)
        {
            var dimension = dim switch
            {
                long size => new ProtoWriter().Int64(1, size),     // dim_value
                string symbol => new ProtoWriter().String(2, symbol), // dim_param
                _ => throw new ArgumentException($"A dimension is a long or a string, not {dim.GetType().Name}.", nameof(dims)),
            };
            shape.Message(1, dimension);                           // TensorShapeProto.dim
        }

        ProtoWriter tensorType = new ProtoWriter().Int64(1, FloatElementType).Message(2, shape); // elem_type, shape
        ProtoWriter type = new ProtoWriter().Message(1, tensorType);                              // TypeProto.tensor_type
        return new ProtoWriter().String(1, name).Message(2, type);                                // name, type
    }
}
