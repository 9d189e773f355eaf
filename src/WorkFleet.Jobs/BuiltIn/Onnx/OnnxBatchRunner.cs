using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace WorkFleet.Jobs.BuiltIn.Onnx;

/// <summary>
/// Runs the jobs of one batch as one ONNX Runtime <c>Run</c>: each model input's tensors are stacked on the
/// first (rows) dimension in job order, and each output is split back by the same rows. Jobs must have passed
/// <see cref="OnnxModel.GetBatchKey"/> with equal keys.
/// </summary>
internal static class OnnxBatchRunner
{
    public static IReadOnlyList<OnnxOutput> Run(OnnxModel model, IReadOnlyList<OnnxInput> inputs, CancellationToken cancellationToken)
    {
        if (!model.IsBatchable && inputs.Count > 1)
        {
            // Unique batch keys keep this from happening; should a caller batch anyway, one run per job is still correct.
            return [.. inputs.Select(input => Run(model, [input], cancellationToken)[0])];
        }

        long[] rows = [.. inputs.Select(input => model.IsBatchable ? input.Inputs[0].Shape[0] : 1)];
        long totalRows = rows.Sum();
        string[] outputNames = [.. model.Outputs.Where(output => inputs.Any(input => model.RequestedOutputs(input).Contains(output))).Select(output => output.Name)];
        var inputNames = new List<string>(model.Inputs.Count);
        var values = new List<OrtValue>(model.Inputs.Count);
        try
        {
            foreach (OnnxTensorInfo info in model.Inputs)
            {
                OnnxInputTensor[] tensors = [.. inputs.Select(input => input.Inputs.First(tensor => tensor.Name == info.Name))];
                long[] shape = [.. tensors[0].Shape];
                shape[0] = model.IsBatchable ? totalRows : shape[0];
                values.Add(Stack(info.ElementType, tensors, shape));
                inputNames.Add(info.Name);
            }

            using var runOptions = new RunOptions();
            using CancellationTokenRegistration stop = cancellationToken.Register(() => runOptions.Terminate = true);
            cancellationToken.ThrowIfCancellationRequested();
            IDisposableReadOnlyCollection<OrtValue> results;
            try
            {
                results = model.Session.Run(runOptions, inputNames, values, outputNames);
            }
            catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException(cancellationToken);
            }

            using (results)
            {
                return Split(model, inputs, rows, outputNames, [.. results]);
            }
        }
        finally
        {
            values.ForEach(value => value.Dispose());
        }
    }

    private static OnnxOutput[] Split(OnnxModel model, IReadOnlyList<OnnxInput> inputs, long[] rows, string[] outputNames, OrtValue[] results)
    {
        var perJob = inputs.Select(_ => new List<OnnxOutputTensor>()).ToArray();
        for (int o = 0; o < outputNames.Length; o++)
        {
            OnnxTensorInfo info = model.Outputs.First(output => output.Name == outputNames[o]);
            OrtTensorTypeAndShapeInfo typeAndShape = results[o].GetTensorTypeAndShape();
            long[] shape = typeAndShape.Shape;
            long inner = shape.Skip(1).Aggregate(1L, (product, dim) => product * dim);
            if (model.IsBatchable && (shape.Length == 0 || shape[0] != rows.Sum()))
            {
                throw new InvalidOperationException(
                    $"{BuiltInJobTypes.Onnx}: output '{info.Name}' of model '{model.Name}' has shape [{string.Join(", ", shape)}] for {rows.Sum()} input rows; it cannot be split into rows per job.");
            }

            long offset = 0;
            for (int j = 0; j < inputs.Count; j++)
            {
                long[] jobShape = [.. shape];
                long count = typeAndShape.ElementCount;
                if (model.IsBatchable)
                {
                    jobShape[0] = rows[j];
                    count = rows[j] * inner;
                }

                if (model.RequestedOutputs(inputs[j]).Contains(info))
                {
                    perJob[j].Add(new OnnxOutputTensor
                    {
                        Name = info.Name,
                        Datatype = info.Datatype!,
                        Shape = jobShape,
                        Data = Slice(results[o], typeAndShape.ElementDataType, checked((int)offset), checked((int)count)),
                    });
                }

                offset += count;
            }
        }

        return [.. perJob.Select(outputs => new OnnxOutput { Model = model.Name, Outputs = outputs })];
    }

    private static OrtValue Stack(TensorElementType type, OnnxInputTensor[] tensors, long[] shape) => type switch
    {
        TensorElementType.Float => OrtValue.CreateTensorValueFromMemory(Concat(tensors, value => (float)value), shape),
        TensorElementType.Double => OrtValue.CreateTensorValueFromMemory(Concat(tensors, value => value), shape),
        TensorElementType.Int32 => OrtValue.CreateTensorValueFromMemory(Concat(tensors, value => (int)value), shape),
        TensorElementType.Int64 => OrtValue.CreateTensorValueFromMemory(Concat(tensors, value => (long)value), shape),
        _ => throw new InvalidOperationException($"{BuiltInJobTypes.Onnx}: element type {type} cannot be fed."),
    };

    private static T[] Concat<T>(OnnxInputTensor[] tensors, Func<double, T> convert)
    {
        var data = new T[tensors.Sum(tensor => tensor.Data.Count)];
        int at = 0;
        foreach (OnnxInputTensor tensor in tensors)
        {
            for (int i = 0; i < tensor.Data.Count; i++)
            {
                data[at++] = convert(tensor.Data[i]);
            }
        }

        return data;
    }

    private static Array Slice(OrtValue value, TensorElementType type, int start, int count) => type switch
    {
        TensorElementType.Float => value.GetTensorDataAsSpan<float>().Slice(start, count).ToArray(),
        TensorElementType.Double => value.GetTensorDataAsSpan<double>().Slice(start, count).ToArray(),
        TensorElementType.Int32 => value.GetTensorDataAsSpan<int>().Slice(start, count).ToArray(),
        TensorElementType.Int64 => value.GetTensorDataAsSpan<long>().Slice(start, count).ToArray(),
        _ => throw new InvalidOperationException($"{BuiltInJobTypes.Onnx}: element type {type} cannot be returned."),
    };
}
