import Testing
import FormularyAnalysis
import FormularyApp
@testable import FormularyServer

/// The server's analyses run one thread each: its concurrent requests already fill the cores.
@Suite("formulary serve: the analyzer")
struct ServerAnalyzerTests {
    @Test("the server's analyzer does not spread one analysis over a second core")
    func oneThreadPerAnalysis() throws {
        let server = try ServerRouteTests.server()
        #expect(server.documents.analyzer.usesSecondCore == false)
        #expect(server.service.documents.analyzer.usesSecondCore == false)
    }
}
