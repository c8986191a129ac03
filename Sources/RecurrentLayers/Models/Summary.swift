import Foundation

extension Sequential {
  /// The model summary exactly as Keras 2 (`tf_keras`) prints it: one row per layer with its
  /// name, class, output shape (`None` for the batch axis) and parameter count, then the totals
  /// with their float32 memory size.
  ///
  /// ```
  /// Model: "sequential"
  /// _________________________________________________________________
  ///  Layer (type)                Output Shape              Param #
  /// =================================================================
  ///  dense (Dense)               (None, 1)                 9
  /// ...
  /// ```
  public func summary() -> String {
    let lineLength = 65
    let positions = [29, 55, 65]  // int(65 · [0.45, 0.85, 1.0])
    var lines = ["Model: \"\(name)\"", String(repeating: "_", count: lineLength)]
    lines += Self.summaryRow(["Layer (type)", "Output Shape", "Param #"], positions)
    lines.append(String(repeating: "=", count: lineLength))
    let shapes = (try? outputShapes()) ?? []
    for (i, layer) in layers.enumerated() {
      let shape =
        i < shapes.count
        ? "(" + (["None"] + shapes[i].map(String.init)).joined(separator: ", ") + ")" : "?"
      let params = layer.isBuilt ? String(layer.parameterCount) : "0 (unused)"
      lines += Self.summaryRow(
        ["\(layerNames[i]) (\(layer.kerasClassName))", shape, params], positions)
      lines.append(String(repeating: " ", count: lineLength))
    }
    lines.append(String(repeating: "=", count: lineLength))
    let trainable = trainableParameterCount
    let frozen = nonTrainableParameterCount
    let bytes = MemoryLayout<Float>.size  // Keras reports float32 sizes
    lines.append(
      "Total params: \(trainable + frozen) (\(Self.memory((trainable + frozen) * bytes)))")
    lines.append("Trainable params: \(trainable) (\(Self.memory(trainable * bytes)))")
    lines.append("Non-trainable params: \(frozen) (\(Self.memory(frozen * bytes)))")
    lines.append(String(repeating: "_", count: lineLength))
    return lines.joined(separator: "\n") + "\n"
  }

  /// Keras's `print_row`: fields cut to their column (wrapping onto further lines), breaking
  /// early after `),` `},` `],` `',` as Keras does.
  static func summaryRow(_ fields: [String], _ positions: [Int]) -> [String] {
    var left = fields.map { Array($0) }
    var out = [String]()
    while left.contains(where: { !$0.isEmpty }) {
      var line = ""
      for col in left.indices {
        let startPos = col > 0 ? positions[col - 1] : 0
        let space = col != positions.count - 1 ? 2 : 0
        var cutoff = positions[col] - startPos - space
        if col != positions.count - 1 { cutoff -= 1 }
        var fit = Array(left[col].prefix(cutoff))
        let text = String(fit)
        let candidates = ["),", "},", "],", "',"].compactMap { mark -> Int? in
          guard let r = text.range(of: mark) else { return nil }
          return text.distance(from: text.startIndex, to: r.upperBound)
        }
        if let best = candidates.min() {
          cutoff = best
          fit = Array(fit.prefix(cutoff))
        }
        if col == 0 { line += " " }
        line += String(fit) + String(repeating: " ", count: space)
        left[col] = Array(left[col].dropFirst(min(cutoff, left[col].count)))
        line += String(repeating: " ", count: max(0, positions[col] - line.count))
      }
      out.append(line)
    }
    return out
  }

  /// Keras's `readable_memory_size`: `3.32 KB`, `0.00 Byte`.
  static func memory(_ bytes: Int) -> String {
    var size = Double(bytes)
    for unit in ["Byte", "KB", "MB", "GB", "TB"] {
      if size / 1024 < 1 { return String(format: "%.2f ", size) + unit }
      size /= 1024
    }
    return String(format: "%.2f PB", size)
  }
}

extension Sequential {
  /// One summary row as Keras 2 formats it (exposed for tests of the wrapping rule).
  public static func summaryRowForTesting(_ fields: [String]) -> [String] {
    summaryRow(fields, [29, 55, 65])
  }
}
