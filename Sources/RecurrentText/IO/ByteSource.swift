#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A stream of bytes read chunk by chunk: a file, standard input, memory, or a decompressor.
///
///     var source = MemoryByteSource(Array("a\nb\n".utf8))
///     var buffer = [UInt8](repeating: 0, count: 16)
///     let n = try buffer.withUnsafeMutableBytes { try source.read(into: $0) }  // 4
public protocol ByteSource {
  /// The name used in error messages (a path, `<stdin>` or `<memory>`).
  var name: String { get }
  /// Fills up to `buffer.count` bytes; returns 0 only at the end of the stream.
  mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}

/// Bytes held in memory, served as a stream (tests, small inputs).
///
///     var source = MemoryByteSource(Array("hello".utf8), name: "greeting")
public struct MemoryByteSource: ByteSource {
  public let name: String
  let bytes: [UInt8]
  var position = 0
  /// Largest chunk served per read; small values exercise buffer boundaries in tests.
  let chunkLimit: Int

  public init(_ bytes: [UInt8], name: String = "<memory>", chunkLimit: Int = Int.max) {
    precondition(chunkLimit > 0, "chunkLimit must be positive, received \(chunkLimit)")
    self.bytes = bytes
    self.name = name
    self.chunkLimit = chunkLimit
  }

  public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
    let n = min(buffer.count, bytes.count - position, chunkLimit)
    guard n > 0 else { return 0 }
    bytes.withUnsafeBytes { src in
      buffer.baseAddress!.copyMemory(from: src.baseAddress! + position, byteCount: n)
    }
    position += n
    return n
  }
}

/// A file (or standard input) read with buffered C I/O; closes the file when released.
///
///     let file = try FileByteSource(path: "data.txt")
///     let stdin = FileByteSource.standardInput()
public final class FileByteSource: ByteSource {
  public let name: String
  let file: UnsafeMutablePointer<FILE>
  let ownsFile: Bool
  /// Bytes already read to sniff the format and handed out before the file's own bytes.
  var pushedBack: [UInt8] = []
  /// Bytes handed out so far (the offset of the next byte).
  public private(set) var offset = 0

  /// Opens `path` for reading; throws `TextInputError.Kind.cannotOpen` with the system's reason.
  public init(path: String) throws {
    guard let f = fopen(path, "rb") else {
      let reason = String(cString: strerror(errno))
      throw TextInputError(
        .cannotOpen, file: path, reason: "cannot open (\(reason))",
        fix: "check the path and its permissions")
    }
    file = f
    name = path
    ownsFile = true
  }

  init(file: UnsafeMutablePointer<FILE>, name: String) {
    self.file = file
    self.name = name
    ownsFile = false
  }

  /// Standard input (not closed on release).
  /// The C `stdin` global is not concurrency-safe in Swift 6; a second FILE on descriptor 0 is.
  public static func standardInput() -> FileByteSource {
    FileByteSource(file: fdopen(0, "rb")!, name: "<stdin>")
  }

  deinit { if ownsFile { fclose(file) } }

  /// Returns the first `count` bytes without consuming them (fewer at end of file).
  public func peek(_ count: Int) throws -> [UInt8] {
    while pushedBack.count < count {
      var b = [UInt8](repeating: 0, count: count - pushedBack.count)
      let n = b.withUnsafeMutableBytes { fread($0.baseAddress!, 1, $0.count, file) }
      if n == 0 {
        try checkError()
        break
      }
      pushedBack += b[0..<n]
    }
    return Array(pushedBack.prefix(count))
  }

  public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
    guard buffer.count > 0 else { return 0 }
    if !pushedBack.isEmpty {
      let n = min(buffer.count, pushedBack.count)
      pushedBack.withUnsafeBytes {
        buffer.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: n)
      }
      pushedBack.removeFirst(n)
      offset += n
      return n
    }
    let n = fread(buffer.baseAddress!, 1, buffer.count, file)
    if n == 0 { try checkError() }
    offset += n
    return n
  }

  private func checkError() throws {
    if ferror(file) != 0 {
      let reason = String(cString: strerror(errno))
      throw TextInputError(
        .ioFailure, file: name, byteOffset: offset, reason: "read failed (\(reason))",
        fix: "check that the file is readable and the disk is healthy")
    }
  }
}
