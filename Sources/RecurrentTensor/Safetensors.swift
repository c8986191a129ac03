import Foundation

/// Reads and writes the safetensors format (HuggingFace), the way PyTorch state dicts are shared.
///
/// Layout: 8 bytes little-endian `UInt64` header length `N`; `N` bytes of UTF-8 JSON mapping each
/// tensor name to `{"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}` (offsets
/// relative to the byte after the header), plus an optional `"__metadata__"` string map; then the
/// raw little-endian data. We write `F32` (for `Float`) or `F64` (for `Double`), tensors sorted by
/// name, the header padded with spaces to a multiple of 8 as the reference writer does. We read
/// `F32`, `F64`, `F16`, `BF16` and the integer types `I64`, `I32`, `I16`, `I8`, `U8`, `BOOL`,
/// converting to the requested scalar type.
///
/// ```swift
/// try Safetensors.write(["weight": w], to: URL(fileURLWithPath: "model.safetensors"))
/// let state = try Safetensors.read(contentsOf: URL(fileURLWithPath: "model.safetensors"))
/// let w2 = state["weight"]!  // Tensor<Float>
/// ```
public enum Safetensors {
  /// Reads every tensor of a safetensors file as `Float`.
  /// - Throws: ``SafetensorsError`` naming the file and byte offset for a missing, truncated or
  ///   malformed file.
  public static func read(contentsOf url: URL) throws -> [String: Tensor<Float>] {
    try read(contentsOf: url, as: Float.self)
  }

  /// Reads every tensor of a safetensors file, converting elements to `Scalar`.
  public static func read<Scalar: TensorScalar>(
    contentsOf url: URL, as scalarType: Scalar.Type
  ) throws -> [String: Tensor<Scalar>] {
    let data = try readData(url)
    return try decode(data, source: url.path, as: scalarType)
  }

  /// Decodes the bytes of a safetensors file; `source` names it in errors.
  @_specialize(where Scalar == Float)
  public static func decode<Scalar: TensorScalar>(
    _ data: Data, source: String, as scalarType: Scalar.Type = Scalar.self
  ) throws -> [String: Tensor<Scalar>] {
    let header = try parseHeader(data, source: source)
    var result: [String: Tensor<Scalar>] = [:]
    data.withUnsafeBytes { raw in
      for entry in header.entries {
        let scalars = decodeScalars(
          raw, at: header.dataStart + entry.begin, count: entry.shape.reduce(1, *),
          dtype: entry.dtype, as: Scalar.self)
        result[entry.name] = Tensor(shape: entry.shape, scalars: scalars)
      }
    }
    return result
  }

  /// The `"__metadata__"` string map of a safetensors file (empty when absent).
  public static func metadata(contentsOf url: URL) throws -> [String: String] {
    try parseHeader(readData(url), source: url.path).metadata
  }

  /// The names, dtypes and shapes a file holds, without decoding the data.
  public static func entries(contentsOf url: URL) throws -> [(
    name: String, dtype: DType, shape: [Int]
  )] {
    try parseHeader(readData(url), source: url.path).entries.map { ($0.name, $0.dtype, $0.shape) }
  }

  private static func readData(_ url: URL) throws -> Data {
    do {
      return try Data(contentsOf: url, options: .alwaysMapped)  // one copy: file pages → tensors
    } catch {
      throw SafetensorsError(
        file: url.path, byteOffset: 0,
        message: "cannot read the file (\(error.localizedDescription)); check the path")
    }
  }

  /// One validated header entry; `begin` is relative to the data section.
  struct Entry {
    var name: String
    var dtype: DType
    var shape: [Int]
    var begin: Int
  }

  /// Parses and validates the header: lengths, JSON, dtypes, shapes, offsets inside the file and
  /// not overlapping. Entries come sorted by name so the first error reported is deterministic.
  static func parseHeader(
    _ data: Data, source: String
  ) throws -> (entries: [Entry], metadata: [String: String], dataStart: Int) {
    func fail(_ offset: Int, _ message: String) -> SafetensorsError {
      SafetensorsError(file: source, byteOffset: offset, message: message)
    }
    let size = data.count
    guard size >= 8 else {
      throw fail(
        0,
        "file is \(size) bytes; a safetensors file starts with an 8-byte header length "
          + "(the file is truncated or not safetensors)")
    }
    var headerLength: UInt64 = 0
    for (i, byte) in data.prefix(8).enumerated() { headerLength |= UInt64(byte) << (8 * UInt64(i)) }
    guard headerLength <= UInt64(size - 8) else {
      throw fail(
        0,
        "header length \(headerLength) runs past the end of the file (\(size) bytes); "
          + "the file is truncated or not safetensors")
    }
    let dataStart = 8 + Int(headerLength)
    let json: Any
    do {
      let start = data.startIndex
      json = try JSONSerialization.jsonObject(with: data[(start + 8)..<(start + dataStart)])
    } catch {
      throw fail(8, "header is not valid JSON (\(error.localizedDescription))")
    }
    guard let object = json as? [String: Any] else {
      throw fail(8, "header must be a JSON object mapping tensor names to descriptions")
    }
    var metadata: [String: String] = [:]
    if let meta = object["__metadata__"] {
      guard let strings = meta as? [String: String] else {
        throw fail(8, "\"__metadata__\" must map strings to strings")
      }
      metadata = strings
    }
    var entries: [Entry] = []
    var spans: [(begin: Int, end: Int, name: String)] = []
    for name in object.keys.sorted() where name != "__metadata__" {
      guard let entry = object[name] as? [String: Any], let dtypeName = entry["dtype"] as? String,
        let shape = intArray(entry["shape"]), let offsets = intArray(entry["data_offsets"]),
        offsets.count == 2
      else {
        throw fail(
          8, "tensor '\(name)' needs \"dtype\" (string), \"shape\" and \"data_offsets\" (integers)")
      }
      guard let dtype = DType(rawValue: dtypeName) else {
        throw fail(
          8,
          "tensor '\(name)' has dtype \(dtypeName); supported: "
            + DType.allCases.map(\.rawValue).joined(separator: ", "))
      }
      guard shape.allSatisfy({ $0 >= 0 }) else {
        throw fail(8, "tensor '\(name)' has a negative extent in shape \(shape)")
      }
      let count = shape.reduce(1, *)
      let (begin, end) = (offsets[0], offsets[1])
      guard begin >= 0, end - begin == count * dtype.size else {
        throw fail(
          dataStart + max(begin, 0),
          "tensor '\(name)' of shape \(shape) and dtype \(dtypeName) needs \(count * dtype.size) "
            + "bytes but data_offsets [\(begin), \(end)] span \(end - begin)")
      }
      guard dataStart + end <= size else {
        throw fail(
          size,
          "tensor '\(name)' needs bytes up to offset \(dataStart + end) but the file ends at "
            + "\(size); the file is truncated")
      }
      entries.append(Entry(name: name, dtype: dtype, shape: shape, begin: begin))
      if end > begin { spans.append((begin, end, name)) }
    }
    spans.sort { ($0.begin, $0.name) < ($1.begin, $1.name) }
    for (a, b) in zip(spans, spans.dropFirst()) where b.begin < a.end {
      throw fail(
        dataStart + b.begin,
        "tensors '\(a.name)' and '\(b.name)' overlap in the data section; the file is malformed")
    }
    return (entries, metadata, dataStart)
  }

  /// Writes tensors atomically (temporary file, then rename): `F32` for `Float`, `F64` for
  /// `Double`. `metadata` goes to the header's `"__metadata__"` entry.
  public static func write<Scalar: TensorScalar>(
    _ tensors: [String: Tensor<Scalar>], to url: URL, metadata: [String: String] = [:]
  ) throws {
    let bytes = encode(tensors, metadata: metadata)
    do {
      // Wrap the encoded bytes without copying them again; Data's .atomic writes a temporary
      // file in the same directory and renames it over `url`.
      try bytes.withUnsafeBytes { raw in
        let data = Data(
          bytesNoCopy: UnsafeMutableRawPointer(
            mutating: raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!),
          count: raw.count, deallocator: .none)
        try data.write(to: url, options: .atomic)
      }
    } catch {
      throw SafetensorsError(
        file: url.path, byteOffset: 0,
        message: "cannot write the file (\(error.localizedDescription)); check the directory")
    }
  }

  /// The bytes of a safetensors file holding `tensors` (sorted by name, so output is stable).
  public static func encode<Scalar: TensorScalar>(
    _ tensors: [String: Tensor<Scalar>], metadata: [String: String] = [:]
  ) -> [UInt8] {
    let size = MemoryLayout<Scalar>.size
    precondition(size == 4 || size == 8, "safetensors writes Float (F32) or Double (F64)")
    // Float and Double (the only conforming types here) pass through without conversion.
    if Scalar.self == Float.self {
      return encode(
        float32: unsafeBitCast(tensors, to: [String: Tensor<Float>].self), metadata: metadata)
    }
    if Scalar.self == Double.self {
      return encode(
        float64: unsafeBitCast(tensors, to: [String: Tensor<Double>].self), metadata: metadata)
    }
    if size == 4 {
      return encode(
        float32: tensors.mapValues { Tensor<Float>(converting: $0) }, metadata: metadata)
    }
    return encode(float64: tensors.mapValues { Tensor<Double>(converting: $0) }, metadata: metadata)
  }

  /// The bytes of one file holding `F32` and `F64` tensors together (names must differ).
  public static func encode(
    float32: [String: Tensor<Float>] = [:], float64: [String: Tensor<Double>] = [:],
    metadata: [String: String] = [:]
  ) -> [UInt8] {
    precondition(
      Set(float32.keys).isDisjoint(with: float64.keys),
      "safetensors: a name appears in both float32 and float64")
    let names = (Array(float32.keys) + Array(float64.keys)).sorted()
    var parts: [String] = []
    if !metadata.isEmpty {
      let items = metadata.keys.sorted().map { "\(jsonString($0)):\(jsonString(metadata[$0]!))" }
      parts.append("\"__metadata__\":{\(items.joined(separator: ","))}")
    }
    var offset = 0
    for name in names {
      let (dtype, shape, length) =
        float32[name].map { ("F32", $0.shape, $0.count * 4) }
        ?? float64[name].map { ("F64", $0.shape, $0.count * 8) }!
      let dims = shape.map(String.init).joined(separator: ",")
      parts.append(
        "\(jsonString(name)):{\"dtype\":\"\(dtype)\",\"shape\":[\(dims)],"
          + "\"data_offsets\":[\(offset),\(offset + length)]}")
      offset += length
    }
    var header = Array("{\(parts.joined(separator: ","))}".utf8)
    while header.count % 8 != 0 { header.append(UInt8(ascii: " ")) }
    var out: [UInt8] = []
    out.reserveCapacity(8 + header.count + offset)
    let headerLength = UInt64(header.count)
    for i in 0..<8 { out.append(UInt8(truncatingIfNeeded: headerLength >> (8 * UInt64(i)))) }
    out.append(contentsOf: header)
    // On little-endian hosts (all Swift platforms in practice) the memory already is the file's
    // byte order: copy it whole.
    let littleEndianHost = UInt32(1).littleEndian == 1
    for name in names {
      if littleEndianHost, let tensor = float32[name] {
        tensor.scalars.withUnsafeBytes { out.append(contentsOf: $0) }
      } else if littleEndianHost, let tensor = float64[name] {
        tensor.scalars.withUnsafeBytes { out.append(contentsOf: $0) }
      } else if let tensor = float32[name] {
        for x in tensor.scalars {
          let bits = x.bitPattern
          for i in 0..<4 { out.append(UInt8(truncatingIfNeeded: bits >> (8 * UInt32(i)))) }
        }
      } else if let tensor = float64[name] {
        for x in tensor.scalars {
          let bits = x.bitPattern
          for i in 0..<8 { out.append(UInt8(truncatingIfNeeded: bits >> (8 * UInt64(i)))) }
        }
      }
    }
    return out
  }

  /// Element types found in safetensors files that we can read.
  public enum DType: String, CaseIterable, Sendable {
    case f64 = "F64"
    case f32 = "F32"
    case f16 = "F16"
    case bf16 = "BF16"
    case i64 = "I64"
    case i32 = "I32"
    case i16 = "I16"
    case i8 = "I8"
    case u8 = "U8"
    case bool = "BOOL"

    /// Bytes per element.
    public var size: Int {
      switch self {
      case .f64, .i64: return 8
      case .f32, .i32: return 4
      case .f16, .bf16, .i16: return 2
      case .i8, .u8, .bool: return 1
      }
    }
  }

  private static func intArray(_ value: Any?) -> [Int]? {
    guard let array = value as? [Any] else { return nil }
    var result: [Int] = []
    for element in array {
      guard let number = element as? NSNumber, let int = Int(exactly: number.doubleValue) else {
        return nil
      }
      result.append(int)
    }
    return result
  }

  private static func jsonString(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      default:
        if scalar.value < 0x20 {
          let hex = String(scalar.value, radix: 16)
          out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out + "\""
  }

  private static func decodeScalars<Scalar: TensorScalar>(
    _ raw: UnsafeRawBufferPointer, at start: Int, count: Int, dtype: DType, as: Scalar.Type
  ) -> [Scalar] {
    let littleEndianHost = UInt32(1).littleEndian == 1
    // Same type as stored on a little-endian host: one memory copy.
    if littleEndianHost
      && ((dtype == .f32 && Scalar.self == Float.self)
        || (dtype == .f64 && Scalar.self == Double.self))
    {
      return [Scalar](unsafeUninitializedCapacity: count) { buffer, initialized in
        UnsafeMutableRawBufferPointer(buffer).copyMemory(
          from: UnsafeRawBufferPointer(rebasing: raw[start..<(start + count * dtype.size)]))
        initialized = count
      }
    }
    // Otherwise decode with concrete types (no generic conversion per element), then convert.
    if dtype == .f64 {
      let doubles = decodeConcrete(raw, at: start, count: count, dtype: dtype) { $0 }
      if Scalar.self == Double.self { return unsafeBitCast(doubles, to: [Scalar].self) }
      if Scalar.self == Float.self {
        return unsafeBitCast(doubles.map { Float($0) }, to: [Scalar].self)
      }
      return doubles.map { Scalar($0) }
    }
    let floats = decodeConcrete(raw, at: start, count: count, dtype: dtype) { Float($0) }
    if Scalar.self == Float.self { return unsafeBitCast(floats, to: [Scalar].self) }
    if Scalar.self == Double.self {
      return unsafeBitCast(floats.map { Double($0) }, to: [Scalar].self)
    }
    return floats.map { Scalar($0) }
  }

  /// Decodes `count` little-endian elements of `dtype` into `T` (`Float` or `Double`) through
  /// `fromDouble` (exact for every stored value except F64/I64 into `Float`, which round once).
  private static func decodeConcrete<T>(
    _ raw: UnsafeRawBufferPointer, at start: Int, count: Int, dtype: DType,
    fromDouble: (Double) -> T
  ) -> [T] {
    func load<I: FixedWidthInteger>(_ i: Int, _ type: I.Type) -> I {
      I(
        littleEndian: raw.loadUnaligned(
          fromByteOffset: start + i * MemoryLayout<I>.size, as: I.self))
    }
    switch dtype {
    case .f64: return (0..<count).map { fromDouble(Double(bitPattern: load($0, UInt64.self))) }
    case .f32:
      return (0..<count).map { fromDouble(Double(Float(bitPattern: load($0, UInt32.self)))) }
    case .f16: return (0..<count).map { fromDouble(Double(floatFromHalf(load($0, UInt16.self)))) }
    case .bf16:
      return (0..<count).map {
        fromDouble(Double(Float(bitPattern: UInt32(load($0, UInt16.self)) << 16)))
      }
    case .i64: return (0..<count).map { fromDouble(Double(load($0, Int64.self))) }
    case .i32: return (0..<count).map { fromDouble(Double(load($0, Int32.self))) }
    case .i16: return (0..<count).map { fromDouble(Double(load($0, Int16.self))) }
    case .i8: return (0..<count).map { fromDouble(Double(load($0, Int8.self))) }
    case .u8, .bool: return (0..<count).map { fromDouble(Double(load($0, UInt8.self))) }
    }
  }

  /// IEEE 754 binary16 → binary32, exact (every half value is a float value).
  static func floatFromHalf(_ h: UInt16) -> Float {
    let sign: Float = (h & 0x8000) != 0 ? -1 : 1
    let exponent = Int((h >> 10) & 0x1f)
    let mantissa = UInt32(h & 0x3ff)
    if exponent == 0 { return sign * Float(mantissa) * 0x1p-24 }  // zero and subnormals
    if exponent == 31 {
      return mantissa == 0 ? sign * .infinity : .nan
    }
    let bits = (UInt32(exponent + 112) << 23) | (mantissa << 13)
    return sign * Float(bitPattern: bits)
  }
}

/// A safetensors file could not be read or written; names the file, the byte offset where the
/// problem was found, and what to do.
///
/// ```swift
/// do { _ = try Safetensors.read(contentsOf: url) } catch let e as SafetensorsError { print(e) }
/// ```
public struct SafetensorsError: Error, CustomStringConvertible, Equatable {
  /// The file path (or the `source` given to ``Safetensors/decode(_:source:as:)``).
  public var file: String
  /// Byte offset in the file where the problem was detected.
  public var byteOffset: Int
  /// What is wrong and how to fix it.
  public var message: String

  public var description: String { "\(file): byte \(byteOffset): \(message)" }
}
