import Foundation
import XCTest

@testable import RecurrentText

final class ReadersTests: XCTestCase {
  var meta: [String: Any] = [:]

  override func setUpWithError() throws {
    meta = try Fixtures.json("norm_readers_meta.json") as! [String: Any]
  }

  /// Quoting cases parsed by Python's csv module (Tools/make_text_fixtures.py readers).
  func testCSVMatchesPythonCSV() throws {
    let reader = try DelimitedReader(path: Fixtures.path("norm_csv_cases.csv"), hasHeader: true)
    var records = [reader.header!]
    records += try reader.readAll()
    XCTAssertEqual(records, meta["csv_cases"] as! [[String]])
  }

  func testCSVErrorsNameFileAndLine() throws {
    let bad = MemoryByteSource(Array("a,b\n1,\"open\n2,3\n".utf8), name: "bad.csv")
    let reader = try DelimitedReader(source: bad, hasHeader: true)
    XCTAssertThrowsError(try reader.next()) {
      let e = $0 as? TextInputError
      XCTAssertEqual(e?.kind, .malformedRecord)
      XCTAssertEqual(e?.file, "bad.csv")
      XCTAssertEqual(e?.line, 2)
    }
    let short = try DelimitedReader(
      source: MemoryByteSource(Array("a,b\n1,2\n3\n".utf8), name: "short.csv"), hasHeader: true)
    XCTAssertEqual(try short.next(), ["1", "2"])
    XCTAssertThrowsError(try short.next()) { XCTAssertEqual(($0 as? TextInputError)?.line, 3) }
  }

  func testRealTSVAgainstPythonCSV() throws {
    let path = try Fixtures.sharedData("sentiment-rt-polarity/train.tsv")
    let want = meta["rt_train_tsv"] as! [String: Any]
    let reader = try DelimitedReader(path: path, delimiter: "\t", hasHeader: true)
    let rows = try reader.readAll()
    XCTAssertEqual(rows.count + 1, want["records"] as! Int)
    XCTAssertEqual(rows.first?[0], want["first_label"] as? String)
    XCTAssertEqual(rows.last?[1], want["last_text"] as? String)
    XCTAssertEqual(reader.column("text"), 1)
  }

  func testCoNLLURealFileAndMalformedLine() throws {
    let want = meta["ewt_dev"] as! [String: Int]
    let path = try Fixtures.sharedData("pos-ud-english-ewt/en_ewt-ud-dev.conllu")
    let sentences = try CoNLLUReader(path: path).readAll()
    XCTAssertEqual(sentences.count, want["sentences"])
    XCTAssertEqual(sentences.reduce(0) { $0 + $1.tokens.count }, want["tokens"])
    XCTAssertEqual(sentences.reduce(0) { $0 + $1.words.count }, want["words"])
    XCTAssertEqual(sentences[0].text, "From the AP comes this story :")
    XCTAssertEqual(
      sentences[0].words.map(\.upos), ["ADP", "DET", "PROPN", "VERB", "DET", "NOUN", "PUNCT"])

    let reader = try CoNLLUReader(path: Fixtures.path("norm_conllu_malformed.conllu"))
    XCTAssertThrowsError(try reader.next()) {
      let e = $0 as? TextInputError
      XCTAssertEqual(e?.kind, .malformedRecord)
      XCTAssertEqual(e?.line, 3)
      XCTAssertTrue(e?.file.hasSuffix("norm_conllu_malformed.conllu") ?? false)
    }
  }

  func testCoNLLColumnsAndTagSchemesOnRealData() throws {
    let want = meta["esp_train"] as! [String: Int]
    let path = try Fixtures.sharedData("ner-conll2002/esp.train.gz")
    let reader = try CoNLLReader(path: path)
    var sentences = 0
    var tokens = 0
    var chunks = 0
    while let s = try reader.next() {
      sentences += 1
      tokens += s.rows.count
      let tags = s.tags
      let found = try TagScheme.chunks(tags, scheme: .iob2)
      chunks += found.count
      // Round trips through every scheme on a tenth of the sentences (debug-build time).
      guard sentences % 10 == 0 else { continue }
      // A few chunks in the file start with I-: the round trip gives the strict IOB2 form.
      let strict = TagScheme.encode(found, count: tags.count, scheme: .iob2)
      for scheme in TagScheme.allCases {
        let there = try TagScheme.convert(tags, from: .iob2, to: scheme)
        XCTAssertEqual(try TagScheme.chunks(there, scheme: scheme), found)
        XCTAssertEqual(try TagScheme.convert(there, from: scheme, to: .iob2), strict)
      }
    }
    XCTAssertEqual(reader.columnCount, 3)  // token, POS, NER tag
    XCTAssertEqual(sentences, want["sentences"])
    XCTAssertEqual(tokens, want["tokens"])
    XCTAssertEqual(chunks, want["chunks"])
  }

  func testTagSchemeExamplesAndErrors() throws {
    XCTAssertEqual(
      try TagScheme.convert(["B-PER", "I-PER", "O", "B-LOC"], from: .iob2, to: .bioes),
      ["B-PER", "E-PER", "O", "S-LOC"])
    XCTAssertEqual(
      try TagScheme.convert(["B-PER", "B-PER", "I-PER", "O", "B-LOC"], from: .iob2, to: .iob1),
      ["I-PER", "B-PER", "I-PER", "O", "I-LOC"])
    XCTAssertEqual(
      try TagScheme.convert(["I-PER", "B-PER", "I-LOC"], from: .iob1, to: .iob2),
      ["B-PER", "B-PER", "B-LOC"])
    XCTAssertEqual(
      try TagScheme.convert(["S-A", "B-A", "E-A", "I-B"], from: .bioes, to: .iob2),
      ["B-A", "B-A", "I-A", "B-B"])
    XCTAssertThrowsError(try TagScheme.convert(["O", "E-PER"], from: .iob2, to: .bioes)) {
      XCTAssertTrue("\($0)".contains("position 1"))
    }
    let reader = try CoNLLReader(path: Fixtures.path("norm_conll_malformed.txt"))
    XCTAssertThrowsError(try reader.next()) {
      XCTAssertEqual(($0 as? TextInputError)?.line, 5)
    }
  }
}
