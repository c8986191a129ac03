import Foundation
import RecurrentTensor
import XCTest

/// The fixtures come from Tools/make_tensor_fixtures.py (PyTorch + safetensors).
func fixtureURL(_ name: String) throws -> URL {
  guard let url = Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil) else {
    throw XCTSkip("fixture \(name) missing from the test bundle")
  }
  return url
}

final class SafetensorsTests: XCTestCase {
  func testReadsPyTorchFileWithExactValuesForEveryDtype() throws {
    let t = try Safetensors.read(contentsOf: fixtureURL("torch_layouts.safetensors"))
    XCTAssertEqual(
      t.keys.sorted(),
      [
        "bf16_halves", "empty", "f16_eighths", "f16_special", "f32_ramp", "f64_thirds", "scalar",
      ])
    XCTAssertEqual(t["f32_ramp"]!.shape, [2, 3, 4])
    XCTAssertEqual(t["f32_ramp"]!.scalars, (0..<24).map { Float($0) * 0.25 - 1 })
    // F64 read as Float rounds once, exactly like Float(Double).
    XCTAssertEqual(t["f64_thirds"]!.scalars, (0..<6).map { Float(Double($0) / 3) })
    XCTAssertEqual(t["f16_eighths"]!.scalars, (-8..<8).map { Float($0) * 0.125 })
    XCTAssertEqual(t["f16_special"]!.scalars, [65504, 0x1p-24, -0.0, 0x1p-14])
    XCTAssertEqual(t["f16_special"]!.scalars[2].sign, .minus)
    XCTAssertEqual(t["bf16_halves"]!.shape, [4, 4])
    XCTAssertEqual(t["bf16_halves"]!.scalars, (-8..<8).map { Float($0) * 0.5 })
    XCTAssertEqual(t["empty"]!.shape, [0, 3])
    XCTAssertEqual(t["scalar"]!.shape, [])
    XCTAssertEqual(t["scalar"]!.scalar, 3.5)
    // The same file read as Double keeps F64 exact.
    let d = try Safetensors.read(
      contentsOf: fixtureURL("torch_layouts.safetensors"), as: Double.self)
    XCTAssertEqual(d["f64_thirds"]!.scalars, (0..<6).map { Double($0) / 3 })
  }

  /// What we write: these tensors, encoded by our writer, must equal byte for byte the committed
  /// `recurrent_written.safetensors`, which `make_tensor_fixtures.py --verify` loads with the
  /// reference safetensors/PyTorch and checks value by value (run it after changing the writer;
  /// set RECURRENT_WRITE_FIXTURES=1 to regenerate the committed file from this test).
  func testWriterBytesMatchTheFileVerifiedInPython() throws {
    let floats: [String: Tensor<Float>] = [
      "a": Tensor(shape: [2, 3], scalars: (0..<6).map { Float($0) * 0.5 }),
      "odd \"name\"\n": Tensor(zeros: [0]),
      "s": Tensor(-7.25),
    ]
    let doubles: [String: Tensor<Double>] = [
      "b": Tensor(shape: [3], scalars: [1.0 / 3, -2.5, 1e300])
    ]
    let bytes = Safetensors.encode(
      float32: floats, float64: doubles, metadata: ["format": "pt", "written_by": "Recurrent"])
    let url = try fixtureURL("recurrent_written.safetensors")
    if ProcessInfo.processInfo.environment["RECURRENT_WRITE_FIXTURES"] == "1" {
      let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/recurrent_written.safetensors")
      try Data(bytes).write(to: source, options: .atomic)
    }
    XCTAssertEqual(bytes, [UInt8](try Data(contentsOf: url)))
    // And it reads back.
    let back = try Safetensors.decode(Data(bytes), source: "memory", as: Double.self)
    XCTAssertEqual(back["b"]!.scalars, [1.0 / 3, -2.5, 1e300])
    XCTAssertEqual(back["s"]!.shape, [])
  }

  func testRoundTripThroughAtomicWrite() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "recurrent-safetensors-\(ProcessInfo.processInfo.processIdentifier)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let url = dir.appendingPathComponent("m.safetensors")
    let w = Tensor<Float>(shape: [3, 2], scalars: [1, -2, 3.5, .infinity, 0, -0.0])
    try Safetensors.write(["w": w, "b": Tensor(zeros: [2])], to: url)
    let back = try Safetensors.read(contentsOf: url)
    XCTAssertEqual(back["w"], w)
    XCTAssertEqual(back["b"], Tensor(zeros: [2]))
    // Only the final file remains (the temporary one was renamed).
    XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["m.safetensors"])
  }

  func testTruncatedAndMalformedFilesThrowWithFileAndOffset() throws {
    let good = Safetensors.encode(["w": Tensor<Float>(shape: [4], scalars: [1, 2, 3, 4])])
    func error(_ bytes: [UInt8]) -> SafetensorsError? {
      do {
        _ = try Safetensors.decode(Data(bytes), source: "bad.safetensors", as: Float.self)
        return nil
      } catch let e as SafetensorsError { return e } catch { return nil }
    }
    // Too short for the length prefix.
    let e1 = try XCTUnwrap(error([1, 2, 3]))
    XCTAssertEqual(e1.byteOffset, 0)
    XCTAssertTrue(e1.description.hasPrefix("bad.safetensors: byte 0:"), e1.description)
    // Data cut short: the error points at the end of the file.
    let cut = Array(good.dropLast(3))
    let e2 = try XCTUnwrap(error(cut))
    XCTAssertEqual(e2.byteOffset, cut.count)
    XCTAssertTrue(e2.message.contains("truncated"), e2.message)
    // Header length pointing past the end.
    var long = good
    long[0] = 0xff
    long[1] = 0xff
    XCTAssertTrue(try XCTUnwrap(error(long)).message.contains("runs past the end"))
    // Broken JSON.
    var json = good
    json[8] = UInt8(ascii: "[")
    XCTAssertEqual(try XCTUnwrap(error(json)).byteOffset, 8)
    // Unsupported dtype.
    let header = #"{"w":{"dtype":"C64","shape":[1],"data_offsets":[0,8]}}"#
    var bad: [UInt8] = [UInt8(header.utf8.count), 0, 0, 0, 0, 0, 0, 0] + Array(header.utf8)
    bad += [UInt8](repeating: 0, count: 8)
    XCTAssertTrue(try XCTUnwrap(error(bad)).message.contains("C64"))
    // A missing file names the path.
    XCTAssertThrowsError(
      try Safetensors.read(contentsOf: URL(fileURLWithPath: "/nonexistent/x.safetensors"))
    ) { XCTAssertTrue("\($0)".contains("/nonexistent/x.safetensors")) }
  }

  func testMetadataAndEntriesWithoutDecoding() throws {
    let url = try fixtureURL("torch_layouts.safetensors")
    XCTAssertEqual(try Safetensors.metadata(contentsOf: url), ["format": "pt"])
    let entries = try Safetensors.entries(contentsOf: url)
    XCTAssertEqual(
      entries.map(\.name),
      [
        "bf16_halves", "empty", "f16_eighths", "f16_special", "f32_ramp", "f64_thirds", "scalar",
      ])
    XCTAssertEqual(entries.map(\.dtype), [.bf16, .f32, .f16, .f16, .f32, .f64, .f32])
    XCTAssertEqual(entries[0].shape, [4, 4])
  }

  func testOverlappingTensorsAreRejected() throws {
    let header =
      #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"#
      + #""b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#
    var bytes: [UInt8] = [UInt8(header.utf8.count), 0, 0, 0, 0, 0, 0, 0] + Array(header.utf8)
    bytes += [UInt8](repeating: 0, count: 12)
    XCTAssertThrowsError(
      try Safetensors.decode(Data(bytes), source: "o.safetensors", as: Float.self)
    ) {
      let e = $0 as? SafetensorsError
      XCTAssertEqual(e?.byteOffset, 8 + header.utf8.count + 4)
      XCTAssertTrue(e?.message.contains("overlap") ?? false, "\($0)")
    }
  }
}
