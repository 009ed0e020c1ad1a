/// The API's OpenAPI 3.1 description, served at `/openapi.json`. Response bodies name their main
/// fields; the full analysis contract is `Sources/FormularyAnalysis/README.md` (schema 1.1).
enum OpenAPIDocument {
    static let json = #"""
    {
      "openapi": "3.1.0",
      "info": {
        "title": "formulary API",
        "version": "1",
        "description": "What a patient's insurance covers next for treatment-resistant depression, and what stands in the way. Patients are sent in the request body (the documented profile format, YAML or JSON text) and are not stored. Errors are RFC 9457 problem details naming the field."
      },
      "paths": {
        "/v1/analyses": {
          "post": {
            "summary": "Analyze a patient's next options under their plans",
            "operationId": "createAnalysis",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/AnalysisRequest"}}}},
            "responses": {
              "200": {"description": "The analysis (schema 1.1)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Analysis"}}}},
              "400": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"},
              "413": {"$ref": "#/components/responses/Problem"}, "415": {"$ref": "#/components/responses/Problem"},
              "422": {"$ref": "#/components/responses/Problem"}
            }
          }
        },
        "/v1/prechecks": {
          "post": {
            "summary": "Pre-check one option's prior authorization under one plan",
            "operationId": "createPrecheck",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PrecheckRequest"}}}},
            "responses": {
              "200": {"description": "The option's checklist", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Precheck"}}}},
              "400": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"},
              "413": {"$ref": "#/components/responses/Problem"}, "415": {"$ref": "#/components/responses/Problem"},
              "422": {"$ref": "#/components/responses/Problem"}
            }
          }
        },
        "/v1/comparisons": {
          "post": {
            "summary": "Compare plans for a patient",
            "operationId": "createComparison",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/AnalysisRequest"}}}},
            "responses": {
              "200": {"description": "The plan comparison report (JSON form)", "content": {"application/json": {"schema": {"type": "object", "required": ["report", "analysis"], "properties": {"report": {"type": "object"}, "analysis": {"$ref": "#/components/schemas/Analysis"}}}}}},
              "400": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"},
              "413": {"$ref": "#/components/responses/Problem"}, "415": {"$ref": "#/components/responses/Problem"},
              "422": {"$ref": "#/components/responses/Problem"}
            }
          }
        },
        "/v1/plans": {
          "get": {
            "summary": "List or search the plans in the current data",
            "operationId": "listPlans",
            "parameters": [
              {"name": "search", "in": "query", "required": false, "schema": {"type": "string"}, "example": "Reference"},
              {"name": "year", "in": "query", "required": false, "schema": {"type": "integer", "minimum": 1900, "maximum": 2200}}
            ],
            "responses": {
              "200": {"description": "Plans", "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/PlanListing"}}}}},
              "400": {"$ref": "#/components/responses/Problem"}
            }
          }
        },
        "/v1/plans/{plan}/drugs/{drug}": {
          "get": {
            "summary": "How a plan covers a drug (RxCUI, NDC or name)",
            "operationId": "lookupDrug",
            "parameters": [
              {"name": "plan", "in": "path", "required": true, "schema": {"type": "string"}, "example": "H9990-001-000"},
              {"name": "drug", "in": "path", "required": true, "schema": {"type": "string"}, "example": "Trintellix"}
            ],
            "responses": {
              "200": {"description": "The plan's lines for the drug", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Lookup"}}}},
              "404": {"$ref": "#/components/responses/Problem"}
            }
          }
        },
        "/v1/snapshots": {
          "get": {
            "summary": "The import history",
            "operationId": "listSnapshots",
            "responses": {"200": {"description": "Snapshots, newest first", "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Snapshot"}}}}}}
          }
        },
        "/v1/watchlist": {
          "get": {
            "summary": "Watched patients (labels only)",
            "operationId": "listWatchlist",
            "responses": {"200": {"description": "Watched patients", "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Watch"}}}}}}
          }
        },
        "/v1/alerts": {
          "get": {
            "summary": "Watchlist alerts, newest first",
            "operationId": "listAlerts",
            "parameters": [{"name": "pending", "in": "query", "required": false, "schema": {"type": "string", "enum": ["true", "false"]}}],
            "responses": {"200": {"description": "Alerts", "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Alert"}}}}}}
          }
        },
        "/v1/refresh-runs": {
          "get": {
            "summary": "Recorded refresh runs, newest first",
            "operationId": "listRefreshRuns",
            "responses": {"200": {"description": "Runs", "content": {"application/json": {"schema": {"type": "array", "items": {"type": "object", "required": ["id", "startedAt", "manifest", "sources"], "properties": {"id": {"type": "integer"}, "startedAt": {"type": "string"}, "finishedAt": {"type": "string"}, "manifest": {"type": "string"}, "sources": {"type": "array"}, "exitCode": {"type": "integer"}}}}}}}}
          }
        }
      },
      "components": {
        "responses": {
          "Problem": {"description": "An RFC 9457 problem naming the field", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}
        },
        "schemas": {
          "Problem": {
            "type": "object",
            "required": ["type", "title", "status", "detail"],
            "properties": {
              "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"}, "detail": {"type": "string"},
              "errors": {"type": "array", "items": {"type": "object", "required": ["field", "detail"], "properties": {"field": {"type": "string"}, "detail": {"type": "string"}, "line": {"type": "integer"}}}}
            }
          },
          "AnalysisRequest": {
            "type": "object",
            "required": ["profile"],
            "example": {"profile": "schema: formulary-patient/1\nid: EX1\nasOf: 2025-03-20\npatient: {age: 42, sex: F, state: AZ}\nplans: [99990AZ0010001]\ndiagnoses: [{code: F33.2, episodeStart: 2023-12-01}]\nscores: [{scale: PHQ-9, value: 19, date: 2025-03-10}]\nflags: {prescriberSpecialty: psychiatry, remsSite: true, pdmpAttested: true}\ntrials:\n  - {drug: sertraline, mgPerDay: 150, start: 2024-01-10, end: 2024-04-30, outcome: inadequate}\n  - {drug: venlafaxine, mgPerDay: 225, start: 2024-05-10, end: 2024-08-31, outcome: inadequate}\n", "options": ["Spravato", "TMS"]},
            "properties": {
              "profile": {"type": "string", "minLength": 1, "description": "The patient: a profile, YAML or JSON text (Formularies/patients/README.md), or FHIR R4 records as JSON, NDJSON or XML text, or a monitoring log (Formularies/patients/RECORDS.md)"},
              "plans": {"type": "array", "items": {"type": "string"}, "description": "Plan ids or criteria version ids; empty: the profile's plans"},
              "options": {"type": "array", "items": {"type": "string"}, "description": "Options to analyze; empty: the TRD options"},
              "asOf": {"type": "string", "description": "YYYY-MM-DD; default: the profile's date, else today"},
              "use": {"type": "string", "enum": ["add-on", "switch"], "description": "How the named options would be used"}
            }
          },
          "PrecheckRequest": {
            "type": "object",
            "required": ["profile", "plan", "option"],
            "example": {"profile": "schema: formulary-patient/1\nid: EX1\nasOf: 2025-03-20\npatient: {age: 42, sex: F, state: AZ}\nplans: [99990AZ0010001]\ndiagnoses: [{code: F33.2, episodeStart: 2023-12-01}]\nscores: [{scale: PHQ-9, value: 19, date: 2025-03-10}]\nflags: {prescriberSpecialty: psychiatry, remsSite: true, pdmpAttested: true}\ntrials:\n  - {drug: sertraline, mgPerDay: 150, start: 2024-01-10, end: 2024-04-30, outcome: inadequate}\n  - {drug: venlafaxine, mgPerDay: 225, start: 2024-05-10, end: 2024-08-31, outcome: inadequate}\n", "plan": "99990AZ0010001", "option": "Spravato"},
            "properties": {
              "profile": {"type": "string", "minLength": 1, "description": "The patient, as for analyses"}, "plan": {"type": "string", "minLength": 1}, "option": {"type": "string", "minLength": 1},
              "asOf": {"type": "string"}, "use": {"type": "string", "enum": ["add-on", "switch"]}
            }
          },
          "Analysis": {
            "type": "object",
            "required": ["schemaVersion", "patient", "asOf", "plans"],
            "properties": {
              "schemaVersion": {"type": "string"}, "patient": {"type": "string"}, "asOf": {"type": "string"},
              "plans": {"type": "array", "items": {"type": "object", "required": ["planId", "criteria", "options", "shortlist"], "properties": {"planId": {"type": "string"}, "planLabel": {"type": "string"}, "shortlist": {"type": "array"}, "options": {"type": "array"}, "criteria": {"type": "object"}}}}
            }
          },
          "Precheck": {
            "type": "object",
            "required": ["schemaVersion", "asOf", "planId", "criteria", "option"],
            "properties": {"schemaVersion": {"type": "string"}, "asOf": {"type": "string"}, "planId": {"type": "string"}, "planLabel": {"type": "string"}, "planName": {"type": "string"}, "criteria": {"type": "object"}, "option": {"type": "object", "required": ["optionId", "verdict", "rules"]}}
          },
          "PlanListing": {
            "type": "object",
            "required": ["plan", "formulary", "snapshot"],
            "properties": {"plan": {"type": "object", "required": ["id"]}, "formulary": {"type": "object"}, "snapshot": {"type": "object"}}
          },
          "Lookup": {
            "type": "object",
            "required": ["plan", "query", "covered", "lines"],
            "properties": {"plan": {"$ref": "#/components/schemas/PlanListing"}, "query": {"type": "string"}, "covered": {"type": "boolean"}, "lines": {"type": "array"}, "benefitNote": {"type": "string"}}
          },
          "Snapshot": {
            "type": "object",
            "required": ["ref", "counts", "warnings", "isCurrent", "files"],
            "properties": {"ref": {"type": "object"}, "contractYear": {"type": "integer"}, "counts": {"type": "object"}, "warnings": {"type": "array"}, "isCurrent": {"type": "boolean"}, "files": {"type": "array"}}
          },
          "Watch": {
            "type": "object",
            "required": ["id", "label", "plans", "addedAt"],
            "properties": {"id": {"type": "integer"}, "label": {"type": "string"}, "plans": {"type": "array", "items": {"type": "string"}}, "addedAt": {"type": "string"}, "lastAnalyzedAt": {"type": "string"}}
          },
          "Alert": {
            "type": "object",
            "required": ["id", "label", "asOf", "status", "createdAt", "attempts"],
            "properties": {"id": {"type": "integer"}, "label": {"type": "string"}, "asOf": {"type": "string"}, "status": {"type": "string", "enum": ["pending", "delivered"]}, "createdAt": {"type": "string"}, "deliveredAt": {"type": "string"}, "attempts": {"type": "integer"}, "lastError": {"type": "string"}}
          }
        }
      }
    }
    """#
}
