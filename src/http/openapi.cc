#include "http/openapi.h"

namespace steadfast::http {

// Hand-maintained: keep it in step with AddRoutes (api.cc), the handlers' accepted fields
// and render.cc. tests/e2e/openapi_test.py fails when routes or response keys drift.
std::string_view OpenApiDocument() {
  static constexpr std::string_view kDocument =
      R"json({
  "openapi": "3.0.3",
  "info": {
    "title": "Steadfast API",
    "version": "1",
    "description": "The REST API of Steadfast, a help desk where every ticket has one named owner and ends with an honest outcome. Request and response bodies are JSON (UTF-8); unknown fields and query parameters are rejected with 422 naming them. Errors are application/problem+json (see Problem). Integrations authenticate with 'Authorization: Bearer <token>' (tokens come from `steadfast token create`); the browser signs in with POST /auth/login and then sends the sf_session cookie, plus the X-CSRF-Token header on every POST and PATCH. Any GET route also answers HEAD; a known path with the wrong method gets 405 with an Allow header. Request bodies over max_body_bytes (25 MiB by default) get 413. See docs/api.md."
  },
  "servers": [
    {
      "url": "/",
      "description": "The Steadfast server itself."
    }
  ],
  "tags": [
    {
      "name": "Meta"
    },
    {
      "name": "Auth"
    },
    {
      "name": "Tickets"
    },
    {
      "name": "Ownership"
    },
    {
      "name": "People"
    }
  ],
  "security": [
    {
      "bearerAuth": []
    },
    {
      "cookieAuth": []
    }
  ],
  "paths": {
    "/api/v1/health": {
      "get": {
        "operationId": "health",
        "summary": "Liveness check",
        "tags": [
          "Meta"
        ],
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Health"
                }
              }
            }
          }
        },
        "security": []
      }
    },
    "/api/v1/openapi.json": {
      "get": {
        "operationId": "openapi",
        "summary": "This document",
        "tags": [
          "Meta"
        ],
        "responses": {
          "200": {
            "description": "The OpenAPI document.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object"
                }
              }
            }
          }
        },
        "security": []
      }
    },
    "/api/v1/auth/login": {
      "post": {
        "operationId": "logIn",
        "summary": "Sign in as an agent (browser session)",
        "tags": [
          "Auth"
        ],
        "description": "Wrong email and wrong password get the same 401. After 5 failures for an account, or 20 from one address, within 15 minutes, logins get 429.",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/LoginRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Signed in. The session cookie sf_session is set (HttpOnly, SameSite=Lax, 14 days).",
            "headers": {
              "Set-Cookie": {
                "schema": {
                  "type": "string"
                },
                "description": "sf_session=...; Path=/; HttpOnly; SameSite=Lax; Max-Age=1209600 (plus Secure with secure_cookies)"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/LoginResult"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthenticated"
          },
          "422": {
            "$ref": "#/components/responses/Validation"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          }
        },
        "security": []
      }
    },
    "/api/v1/auth/logout": {
      "post": {
        "operationId": "logOut",
        "summary": "End the browser session",
        "tags": [
          "Auth"
        ],
        "responses": {
          "204": {
            "description": "The session (if any) is ended and the cookie cleared.",
            "headers": {
              "Set-Cookie": {
                "schema": {
                  "type": "string"
                }
              }
            }
          }
        },
        "security": []
      }
    },
    "/api/v1/auth/me": {
      "get": {
        "operationId": "me",
        "summary": "Who am I",
        "tags": [
          "Auth"
        ],
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Me"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthenticated"
          }
        }
      }
    },
    "/api/v1/tickets": {
      "get": {
        "operationId": "listTickets",
        "summary": "List tickets, newest first",
        "tags": [
          "Tickets"
        ],
        "description": "Customers see only their own tickets (and their company's when it shares tickets). Unknown parameters are a 422.",
        "parameters": [
          {
            "name": "status",
            "in": "query",
            "required": false,
            "description": "Only tickets in this status.",
            "schema": {
              "$ref": "#/components/schemas/TicketStatus"
            }
          },
          {
            "name": "owner",
            "in": "query",
            "required": false,
            "description": "An agent id, me (the calling agent), or none (nobody owns it).",
            "schema": {
              "type": "string",
              "pattern": "^([1-9][0-9]*|me|none)$"
            }
          },
          {
            "name": "customer",
            "in": "query",
            "required": false,
            "description": "Customer id.",
            "schema": {
              "type": "integer",
              "format": "int64",
              "minimum": 1
            }
          },
          {
            "name": "tag",
            "in": "query",
            "required": false,
            "description": "Tickets with this tag.",
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "team",
            "in": "query",
            "required": false,
            "description": "Team id.",
            "schema": {
              "type": "integer",
              "format": "int64",
              "minimum": 1
            }
          },
          {
            "name": "q",
            "in": "query",
            "required": false,
            "description": "Full-text filter over subjects and messages (all words must match).",
            "schema": {
              "type": "string"
            }
          },
          {
            "$ref": "#/components/parameters/Limit"
          },
          {
            "$ref": "#/components/parameters/Cursor"
          }
        ],
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/TicketPage"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthenticated"
          },
          "422": {
            "$ref": "#/components/responses/Validation"
          }
        }
      },
      "post": {
        "operationId": "createTicket",
        "summary": "Open a ticket",
        "tags": [
          "Tickets"
        ],
        "description": "Agents open a ticket for a customer (found or created by email; channel api). Customers open one for themselves (channel portal). The ticket starts as new, version 1, with no owner.",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/NewTicket"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "Created: the ticket and its first message.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/TicketWrite"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthenticated"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "413": {
            "$ref": "#/components/responses/TooLarge"
          },
          "422": {
            "$ref": "#/components/responses/Validation"
          }
        },
        "security": [
          {
            "bearerAuth": []
          },
          {
            "cookieAuth": [],
            "csrfToken": []
          }
        ]
      }
    },
    "/api/v1/tickets/{id}": {
      "parameters": [
        {
          "$ref": "#/components/parameters/Id"
        }
      ],
      "get": {
        "operationId": "getTicket",
        "summary": "Get a ticket",
        "tags": [
          "Tickets"
        ],
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Ticket"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthenticated"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "422": {
            "$ref": "#/components/responses/Validation"
          }
        }
      },
      "patch": {
        "operationId": "patchTicket",
        "summary": "Edit subject, priority, tags, team, or open<->pending",
        "tags": [
          "Tickets"
        ],
        "description": "Agents only. Send the version you read; a stale version is a 409.",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/TicketPatch"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The ticket after the change (unchanged, same version, if nothing differed).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Ticket"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthenticated"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          },
          "422": {
            "$ref": "#/components/responses/Validation"
          }
        },
        "security": [
          {
            "bearerAuth": []
          },
          {
            "cookieAuth": [],
            "csrfToken": []
          }
        ]
      }
    },
    "/api/v1/tickets/{id}/messages": {
      "parameters": [
        {
          "$ref": "#/components/parameters/Id"
        }
      ],
      "get": {
        "operationId": "listMessages",
        "summary": "List a ticket's messages, oldest first",
        "tags": [
          "Tickets"
        ],
        "description": "Customers never see internal notes.",
)json"
      R"json(        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/MessageList"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthenticated"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "422": {
            "$ref": "#/components/responses/Validation"
          }
        }
      },
      "post": {
        "operationId": "postMessage",
        "summary": "Reply, add an internal note, or (as the customer) write",
        "tags": [
          "Tickets"
        ],
        "description": "An agent reply to a new ticket makes the replier its owner and opens it; status pending then waits on the customer. A customer message brings a pending ticket back to open and reopens a resolved one. Notes change nothing. Nothing can be added to a closed ticket (409). Attachments need multipart/form-data.",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/NewMessage"
              }
            },
            "multipart/form-data": {
              "schema": {
                "$ref": "#/components/schemas/NewMessageMultipart"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "Created: the ticket after the message and the new message.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/TicketWrite"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthenticated"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          },
          "413": {
            "$ref": "#/components/responses/TooLarge"
          },
          "415": {
            "$ref": "#/components/responses/UnsupportedMedia"
          },
          "422": {
            "$ref": "#/components/responses/Validation"
          }
        },
        "security": [
          {
            "bearerAuth": []
          },
          {
            "cookieAuth": [],
            "csrfToken": []
          }
        ]
      }
    },
    "/api/v1/tickets/{id}/events": {
      "parameters": [
        {
          "$ref": "#/components/parameters/Id"
        }
      ],
      "get": {
        "operationId": "listEvents",
        "summary": "The ticket's event log, oldest first",
        "tags": [
          "Tickets"
        ],
        "description": "Agents only (customers get 403 on their tickets, 404 on others).",
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/EventList"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthenticated"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "422": {
            "$ref": "#/components/responses/Validation"
          }
        }
      }
    },
    "/api/v1/tickets/{id}/handoffs": {
      "parameters": [
        {
          "$ref": "#/components/parameters/Id"
        }
      ],
      "post": {
        "operationId": "proposeHandoff",
        "summary": "Offer ownership to another agent",
        "tags": [
          "Ownership"
        ],
        "description": "The owner (or a lead/admin) proposes; the receiver accepts or declines. 409 if nobody owns the ticket, it is resolved or closed, or a handoff is already pending.",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/NewHandoff"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "Created: the pending handoff.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Handoff"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthenticated"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          },
          "422": {
            "$ref": "#/components/responses/Validation"
          }
        },
        "security": [
          {
            "bearerAuth": []
          },
          {
            "cookieAuth": [],
            "csrfToken": []
          }
        ]
      }
    },
    "/api/v1/tickets/{id}/take": {
      "parameters": [
        {
          "$ref": "#/components/parameters/Id"
        }
      ],
      "post": {
        "operationId": "takeTicket",
        "summary": "Take a ticket nobody owns",
        "tags": [
          "Ownership"
        ],
        "description": "Agents only; a new ticket becomes open. 409 if it already has an owner (ask for a handoff) or is resolved/closed. No body.",
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Ticket"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthenticated"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          },
          "422": {
            "$ref": "#/components/responses/Validation"
          }
        },
        "security": [
          {
            "bearerAuth": []
          },
          {
            "cookieAuth": [],
            "csrfToken": []
          }
        ]
      }
    },
    "/api/v1/tickets/{id}/assign": {
      "parameters": [
        {
          "$ref": "#/components/parameters/Id"
        }
      ],
      "post": {
        "operationId": "assignTicket",
        "summary": "Reassign directly (leads and admins)",
        "tags": [
          "Ownership"
        ],
        "description": "Moves ownership without the receiver accepting; any pending handoff is withdrawn; a new ticket becomes open.",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/Assignment"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Ticket"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthenticated"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          },
          "422": {
            "$ref": "#/components/responses/Validation"
          }
        },
        "security": [
          {
            "bearerAuth": []
          },
          {
            "cookieAuth": [],
            "csrfToken": []
          }
        ]
      }
    },
    "/api/v1/tickets/{id}/resolve": {
      "parameters": [
        {
          "$ref": "#/components/parameters/Id"
        }
      ],
      "post": {
        "operationId": "resolveTicket",
        "summary": "Resolve with an outcome",
        "tags": [
          "Tickets"
        ],
        "description": "The owner, a lead/admin, or any agent when nobody owns it (who then becomes the owner). Any pending handoff is withdrawn. 409 if already resolved or closed.",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/ResolveRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Ticket"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthenticated"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          },
          "422": {
            "$ref": "#/components/responses/Validation"
          }
        },
        "security": [
          {
            "bearerAuth": []
          },
          {
            "cookieAuth": [],
            "csrfToken": []
          }
        ]
      }
    },
    "/api/v1/tickets/{id}/reopen": {
      "parameters": [
        {
          "$ref": "#/components/parameters/Id"
        }
      ],
      "post": {
        "operationId": "reopenTicket",
        "summary": "Reopen a resolved ticket to its owner",
        "tags": [
          "Tickets"
        ],
        "description": "Agents only. 409 unless the ticket is resolved. No body.",
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Ticket"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthenticated"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          },
          "422": {
            "$ref": "#/components/responses/Validation"
          }
        },
        "security": [
          {
            "bearerAuth": []
          },
          {
            "cookieAuth": [],
            "csrfToken": []
          }
        ]
      }
    },
    "/api/v1/handoffs/{id}/accept": {
      "parameters": [
        {
          "$ref": "#/components/parameters/Id"
        }
      ],
      "post": {
        "operationId": "acceptHandoff",
        "summary": "Accept a handoff offered to you",
        "tags": [
          "Ownership"
        ],
        "description": "Only the receiving agent. 409 if it is no longer pending. No body.",
        "responses": {
)json"
      R"json(          "200": {
            "description": "The handoff (accepted) and the ticket (new owner).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/HandoffAnswer"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthenticated"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          },
          "422": {
            "$ref": "#/components/responses/Validation"
          }
        },
        "security": [
          {
            "bearerAuth": []
          },
          {
            "cookieAuth": [],
            "csrfToken": []
          }
        ]
      }
    },
    "/api/v1/handoffs/{id}/decline": {
      "parameters": [
        {
          "$ref": "#/components/parameters/Id"
        }
      ],
      "post": {
        "operationId": "declineHandoff",
        "summary": "Decline a handoff offered to you",
        "tags": [
          "Ownership"
        ],
        "description": "Only the receiving agent, with a reason. 409 if it is no longer pending.",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/HandoffDecline"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The handoff (declined) and the ticket (owner unchanged).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/HandoffAnswer"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthenticated"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          },
          "422": {
            "$ref": "#/components/responses/Validation"
          }
        },
        "security": [
          {
            "bearerAuth": []
          },
          {
            "cookieAuth": [],
            "csrfToken": []
          }
        ]
      }
    },
    "/api/v1/search": {
      "get": {
        "operationId": "search",
        "summary": "Full-text search over tickets (agents)",
        "tags": [
          "Tickets"
        ],
        "parameters": [
          {
            "name": "q",
            "in": "query",
            "required": true,
            "description": "Words to find (required).",
            "schema": {
              "type": "string",
              "minLength": 1
            }
          },
          {
            "name": "status",
            "in": "query",
            "required": false,
            "description": "Only tickets in this status.",
            "schema": {
              "$ref": "#/components/schemas/TicketStatus"
            }
          },
          {
            "$ref": "#/components/parameters/Limit"
          }
        ],
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/SearchResults"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthenticated"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "422": {
            "$ref": "#/components/responses/Validation"
          }
        }
      }
    },
    "/api/v1/attachments/{id}": {
      "parameters": [
        {
          "$ref": "#/components/parameters/Id"
        }
      ],
      "get": {
        "operationId": "getAttachment",
        "summary": "Download an attachment",
        "tags": [
          "Tickets"
        ],
        "description": "Customers get 404 for attachments of internal notes or tickets they may not see.",
        "responses": {
          "200": {
            "description": "The file, with its stored Content-Type and a Content-Disposition: attachment header.",
            "headers": {
              "Content-Disposition": {
                "schema": {
                  "type": "string"
                }
              }
            },
            "content": {
              "application/octet-stream": {
                "schema": {
                  "type": "string",
                  "format": "binary"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthenticated"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "422": {
            "$ref": "#/components/responses/Validation"
          }
        }
      }
    },
    "/api/v1/customers": {
      "get": {
        "operationId": "listCustomers",
        "summary": "List customers, oldest first (agents)",
        "tags": [
          "People"
        ],
        "parameters": [
          {
            "name": "email",
            "in": "query",
            "required": false,
            "description": "Exact address (case-insensitive); returns the customer who has it.",
            "schema": {
              "type": "string",
              "format": "email"
            }
          },
          {
            "$ref": "#/components/parameters/Limit"
          },
          {
            "$ref": "#/components/parameters/Cursor"
          }
        ],
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/CustomerPage"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthenticated"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "422": {
            "$ref": "#/components/responses/Validation"
          }
        }
      },
      "post": {
        "operationId": "createCustomer",
        "summary": "Create a customer (agents)",
        "tags": [
          "People"
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/NewCustomer"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "Created.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Customer"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthenticated"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          },
          "422": {
            "$ref": "#/components/responses/Validation"
          }
        },
        "security": [
          {
            "bearerAuth": []
          },
          {
            "cookieAuth": [],
            "csrfToken": []
          }
        ]
      }
    },
    "/api/v1/customers/{id}": {
      "parameters": [
        {
          "$ref": "#/components/parameters/Id"
        }
      ],
      "get": {
        "operationId": "getCustomer",
        "summary": "Get a customer",
        "tags": [
          "People"
        ],
        "description": "Agents see every customer; a customer sees only themselves.",
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Customer"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthenticated"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "422": {
            "$ref": "#/components/responses/Validation"
          }
        }
      },
      "patch": {
        "operationId": "patchCustomer",
        "summary": "Edit a customer (agents)",
        "tags": [
          "People"
        ],
        "description": "Send the version you read; a stale version is a 409. Fields left out are unchanged.",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/CustomerPatch"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Customer"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthenticated"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          },
          "422": {
            "$ref": "#/components/responses/Validation"
          }
        },
        "security": [
          {
            "bearerAuth": []
          },
          {
            "cookieAuth": [],
            "csrfToken": []
          }
        ]
      }
    },
    "/api/v1/customers/{id}/tickets": {
      "parameters": [
        {
          "$ref": "#/components/parameters/Id"
        }
      ],
      "get": {
        "operationId": "customerTickets",
        "summary": "A customer's tickets, newest first",
        "tags": [
          "People"
        ],
        "parameters": [
          {
            "$ref": "#/components/parameters/Limit"
          },
          {
            "$ref": "#/components/parameters/Cursor"
          }
        ],
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/TicketPage"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthenticated"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "422": {
            "$ref": "#/components/responses/Validation"
          }
        }
      }
    },
    "/api/v1/companies": {
      "post": {
        "operationId": "createCompany",
        "summary": "Create a company (agents)",
        "tags": [
          "People"
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/NewCompany"
)json"
      R"json(              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "Created.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Company"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthenticated"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "422": {
            "$ref": "#/components/responses/Validation"
          }
        },
        "security": [
          {
            "bearerAuth": []
          },
          {
            "cookieAuth": [],
            "csrfToken": []
          }
        ]
      }
    },
    "/api/v1/companies/{id}": {
      "parameters": [
        {
          "$ref": "#/components/parameters/Id"
        }
      ],
      "get": {
        "operationId": "getCompany",
        "summary": "Get a company (agents)",
        "tags": [
          "People"
        ],
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Company"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthenticated"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "422": {
            "$ref": "#/components/responses/Validation"
          }
        }
      }
    },
    "/api/v1/agents": {
      "get": {
        "operationId": "listAgents",
        "summary": "List agents (agents)",
        "tags": [
          "People"
        ],
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/AgentList"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthenticated"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          }
        }
      },
      "post": {
        "operationId": "createAgent",
        "summary": "Create an agent (admins)",
        "tags": [
          "People"
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/NewAgent"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "Created.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Agent"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthenticated"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          },
          "422": {
            "$ref": "#/components/responses/Validation"
          }
        },
        "security": [
          {
            "bearerAuth": []
          },
          {
            "cookieAuth": [],
            "csrfToken": []
          }
        ]
      }
    },
    "/api/v1/agents/{id}": {
      "parameters": [
        {
          "$ref": "#/components/parameters/Id"
        }
      ],
      "get": {
        "operationId": "getAgent",
        "summary": "Get an agent (agents)",
        "tags": [
          "People"
        ],
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Agent"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthenticated"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "422": {
            "$ref": "#/components/responses/Validation"
          }
        }
      }
    },
    "/api/v1/teams": {
      "get": {
        "operationId": "listTeams",
        "summary": "List teams (agents)",
        "tags": [
          "People"
        ],
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/TeamList"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthenticated"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          }
        }
      },
      "post": {
        "operationId": "createTeam",
        "summary": "Create a team (leads and admins)",
        "tags": [
          "People"
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/NewTeam"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "Created.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Team"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthenticated"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          },
          "422": {
            "$ref": "#/components/responses/Validation"
          }
        },
        "security": [
          {
            "bearerAuth": []
          },
          {
            "cookieAuth": [],
            "csrfToken": []
          }
        ]
      }
    }
  },
  "components": {
    "securitySchemes": {
      "bearerAuth": {
        "type": "http",
        "scheme": "bearer",
        "description": "An API token from `steadfast token create` (for an agent or a customer)."
      },
      "cookieAuth": {
        "type": "apiKey",
        "in": "cookie",
        "name": "sf_session",
        "description": "The session cookie set by POST /api/v1/auth/login (agents)."
      },
      "csrfToken": {
        "type": "apiKey",
        "in": "header",
        "name": "X-CSRF-Token",
        "description": "The csrf_token from the login response. Required with the session cookie on POST and PATCH; without it they get 403."
      }
    },
    "parameters": {
      "Id": {
        "name": "id",
        "in": "path",
        "required": true,
        "description": "A positive integer id (anything else is a 422).",
        "schema": {
          "type": "integer",
          "format": "int64",
          "minimum": 1
        }
      },
      "Limit": {
        "name": "limit",
        "in": "query",
        "required": false,
        "description": "Page size, 1-200 (default 50).",
        "schema": {
          "type": "integer",
          "minimum": 1,
          "maximum": 200,
          "default": 50
        }
      },
      "Cursor": {
        "name": "cursor",
        "in": "query",
        "required": false,
        "description": "The next_cursor of the previous page.",
        "schema": {
          "type": "string"
        }
      }
    },
    "responses": {
      "BadRequest": {
        "description": "The body is not valid JSON/UTF-8, or the query string is malformed.",
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      },
      "Unauthenticated": {
        "description": "No valid session cookie or API token.",
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        },
        "headers": {
          "WWW-Authenticate": {
            "schema": {
              "type": "string"
            }
          }
        }
      },
      "Forbidden": {
        "description": "The caller may not do this (role, ownership), or a cookie-authenticated write lacks the right X-CSRF-Token.",
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      },
      "NotFound": {
        "description": "No such object, or one the caller may not see.",
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      },
      "Conflict": {
        "description": "The object changed (stale version) or is in a state that does not allow this.",
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      },
      "TooLarge": {
        "description": "The request body or an attachment is too large.",
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      },
      "UnsupportedMedia": {
        "description": "Send application/json or multipart/form-data.",
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      },
      "Validation": {
        "description": "A field or parameter is wrong; errors[0].field names it.",
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      },
      "RateLimited": {
        "description": "Too many failed logins for this account or address; try again in 15 minutes.",
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      }
    },
    "schemas": {
      "TicketStatus": {
        "type": "string",
        "description": "new: nobody owns it yet. open: owned, our move. pending: waiting on the customer. resolved: an outcome is recorded. closed: final, nothing more can be added.",
        "enum": [
          "new",
          "open",
          "pending",
          "resolved",
          "closed"
        ]
      },
      "Priority": {
        "type": "string",
        "enum": [
          "low",
          "normal",
          "high",
          "urgent"
        ]
      },
      "Outcome": {
        "type": "string",
        "description": "How a ticket ended. cannot_do requires a plain statement of the limit; duplicate requires duplicate_of.",
        "enum": [
          "solved",
          "workaround",
          "cannot_do",
          "duplicate",
          "withdrawn"
        ]
      },
      "MessageKind": {
        "type": "string",
        "description": "customer: written by the customer. reply: an agent's reply to the customer. note: internal, never shown to customers. system: written by Steadfast.",
)json"
      R"json(        "enum": [
          "customer",
          "reply",
          "note",
          "system"
        ]
      },
      "Role": {
        "type": "string",
        "enum": [
          "agent",
          "lead",
          "admin"
        ]
      },
      "Channel": {
        "type": "string",
        "description": "Where the ticket came from.",
        "enum": [
          "web",
          "email",
          "api",
          "portal"
        ]
      },
      "HandoffState": {
        "type": "string",
        "enum": [
          "proposed",
          "accepted",
          "declined"
        ]
      },
      "Actor": {
        "type": "object",
        "description": "Who did something.",
        "required": [
          "kind",
          "id"
        ],
        "properties": {
          "kind": {
            "type": "string",
            "enum": [
              "agent",
              "customer",
              "system"
            ]
          },
          "id": {
            "type": "integer",
            "format": "int64",
            "minimum": 0,
            "description": "The agent's or customer's id; 0 for the system."
          }
        }
      },
      "Resolution": {
        "type": "object",
        "required": [
          "outcome",
          "statement",
          "alternatives",
          "duplicate_of",
          "resolved_by",
          "resolved_at"
        ],
        "properties": {
          "outcome": {
            "$ref": "#/components/schemas/Outcome"
          },
          "statement": {
            "type": "string",
            "description": "What the customer is told; required (non-empty) for cannot_do, may be empty otherwise."
          },
          "alternatives": {
            "type": "array",
            "items": {
              "type": "string"
            },
            "description": "Alternatives offered (cannot_do only)."
          },
          "duplicate_of": {
            "type": "integer",
            "format": "int64",
            "minimum": 1,
            "nullable": true,
            "description": "The ticket that continues (duplicate only)."
          },
          "resolved_by": {
            "type": "integer",
            "format": "int64",
            "description": "Agent id (0 for the system)."
          },
          "resolved_at": {
            "type": "string",
            "format": "date-time",
            "description": "UTC, ISO 8601 with milliseconds, e.g. 2025-03-14T09:26:53.589Z."
          }
        }
      },
      "Handoff": {
        "type": "object",
        "description": "An offer of ownership from the current owner to another agent, which the receiver accepts or declines.",
        "required": [
          "id",
          "ticket_id",
          "from_agent_id",
          "to_agent_id",
          "note",
          "state",
          "created_at",
          "decline_reason",
          "answered_at"
        ],
        "properties": {
          "id": {
            "type": "integer",
            "format": "int64",
            "minimum": 1
          },
          "ticket_id": {
            "type": "integer",
            "format": "int64",
            "minimum": 1
          },
          "from_agent_id": {
            "type": "integer",
            "format": "int64",
            "minimum": 1
          },
          "to_agent_id": {
            "type": "integer",
            "format": "int64",
            "minimum": 1
          },
          "note": {
            "type": "string",
            "description": "The context the receiver needs."
          },
          "state": {
            "$ref": "#/components/schemas/HandoffState"
          },
          "created_at": {
            "type": "string",
            "format": "date-time",
            "description": "UTC, ISO 8601 with milliseconds, e.g. 2025-03-14T09:26:53.589Z."
          },
          "decline_reason": {
            "type": "string",
            "description": "Why it was declined (or withdrawn); null unless declined.",
            "nullable": true
          },
          "answered_at": {
            "type": "string",
            "format": "date-time",
            "description": "UTC, ISO 8601 with milliseconds, e.g. 2025-03-14T09:26:53.589Z.",
            "nullable": true
          }
        }
      },
      "TicketSummary": {
        "type": "object",
        "description": "A ticket as it appears in lists and search results.",
        "required": [
          "id",
          "number",
          "subject",
          "customer_id",
          "company_id",
          "owner",
          "team_id",
          "status",
          "priority",
          "tags",
          "channel",
          "created_at",
          "updated_at",
          "version",
          "resolution"
        ],
        "properties": {
          "id": {
            "type": "integer",
            "format": "int64",
            "minimum": 1
          },
          "number": {
            "type": "integer",
            "format": "int64",
            "description": "The human number, shown as #123."
          },
          "subject": {
            "type": "string",
            "maxLength": 255
          },
          "customer_id": {
            "type": "integer",
            "format": "int64",
            "minimum": 1
          },
          "company_id": {
            "type": "integer",
            "format": "int64",
            "minimum": 1,
            "nullable": true,
            "description": "The customer's company when the ticket was opened."
          },
          "owner": {
            "type": "integer",
            "format": "int64",
            "minimum": 1,
            "nullable": true,
            "description": "The agent who owns the ticket; null while nobody does (status new)."
          },
          "team_id": {
            "type": "integer",
            "format": "int64",
            "minimum": 1,
            "nullable": true
          },
          "status": {
            "$ref": "#/components/schemas/TicketStatus"
          },
          "priority": {
            "$ref": "#/components/schemas/Priority"
          },
          "tags": {
            "type": "array",
            "items": {
              "type": "string",
              "maxLength": 64
            },
            "description": "Lower-case, unique, sorted."
          },
          "channel": {
            "$ref": "#/components/schemas/Channel"
          },
          "created_at": {
            "type": "string",
            "format": "date-time",
            "description": "UTC, ISO 8601 with milliseconds, e.g. 2025-03-14T09:26:53.589Z."
          },
          "updated_at": {
            "type": "string",
            "format": "date-time",
            "description": "UTC, ISO 8601 with milliseconds, e.g. 2025-03-14T09:26:53.589Z."
          },
          "version": {
            "type": "integer",
            "format": "int64",
            "minimum": 1,
            "description": "Incremented by every change. Send it back in PATCH; a stale version gets 409."
          },
          "resolution": {
            "anyOf": [
              {
                "$ref": "#/components/schemas/Resolution"
              },
              {
                "type": "object",
                "nullable": true,
                "enum": [
                  null
                ]
              }
            ]
          }
        }
      },
      "Ticket": {
        "type": "object",
        "description": "One ticket, with its pending handoff.",
        "required": [
          "id",
          "number",
          "subject",
          "customer_id",
          "company_id",
          "owner",
          "team_id",
          "status",
          "priority",
          "tags",
          "channel",
          "created_at",
          "updated_at",
          "version",
          "resolution",
          "pending_handoff"
        ],
        "properties": {
          "id": {
            "type": "integer",
            "format": "int64",
            "minimum": 1
          },
          "number": {
            "type": "integer",
            "format": "int64",
            "description": "The human number, shown as #123."
          },
          "subject": {
            "type": "string",
            "maxLength": 255
          },
          "customer_id": {
            "type": "integer",
            "format": "int64",
            "minimum": 1
          },
          "company_id": {
            "type": "integer",
            "format": "int64",
            "minimum": 1,
            "nullable": true,
            "description": "The customer's company when the ticket was opened."
          },
          "owner": {
            "type": "integer",
            "format": "int64",
            "minimum": 1,
            "nullable": true,
            "description": "The agent who owns the ticket; null while nobody does (status new)."
          },
          "team_id": {
            "type": "integer",
            "format": "int64",
            "minimum": 1,
            "nullable": true
          },
          "status": {
            "$ref": "#/components/schemas/TicketStatus"
          },
          "priority": {
            "$ref": "#/components/schemas/Priority"
          },
          "tags": {
            "type": "array",
            "items": {
              "type": "string",
              "maxLength": 64
            },
            "description": "Lower-case, unique, sorted."
          },
          "channel": {
            "$ref": "#/components/schemas/Channel"
          },
          "created_at": {
            "type": "string",
            "format": "date-time",
            "description": "UTC, ISO 8601 with milliseconds, e.g. 2025-03-14T09:26:53.589Z."
          },
          "updated_at": {
            "type": "string",
            "format": "date-time",
            "description": "UTC, ISO 8601 with milliseconds, e.g. 2025-03-14T09:26:53.589Z."
          },
          "version": {
            "type": "integer",
            "format": "int64",
            "minimum": 1,
            "description": "Incremented by every change. Send it back in PATCH; a stale version gets 409."
          },
          "resolution": {
            "anyOf": [
              {
                "$ref": "#/components/schemas/Resolution"
              },
              {
                "type": "object",
                "nullable": true,
                "enum": [
                  null
                ]
              }
            ]
          },
          "pending_handoff": {
            "anyOf": [
              {
                "$ref": "#/components/schemas/Handoff"
              },
              {
                "type": "object",
                "nullable": true,
                "enum": [
                  null
                ]
              }
            ],
            "description": "The handoff waiting for an answer, if any."
          }
        }
      },
      "Attachment": {
        "type": "object",
        "required": [
          "id",
          "filename",
          "content_type",
          "size",
          "sha256",
          "url"
        ],
        "properties": {
          "id": {
            "type": "integer",
            "format": "int64",
            "minimum": 1
          },
          "filename": {
            "type": "string"
          },
          "content_type": {
            "type": "string"
          },
          "size": {
            "type": "integer",
            "format": "int64",
            "description": "Bytes."
          },
          "sha256": {
            "type": "string",
            "description": "Hex SHA-256 of the content."
          },
          "url": {
            "type": "string",
            "description": "Where to download it: /api/v1/attachments/{id}."
          }
        }
      },
      "Message": {
        "type": "object",
        "required": [
          "id",
          "ticket_id",
          "kind",
          "author",
          "body",
          "created_at",
          "attachments"
)json"
      R"json(        ],
        "properties": {
          "id": {
            "type": "integer",
            "format": "int64",
            "minimum": 1
          },
          "ticket_id": {
            "type": "integer",
            "format": "int64",
            "minimum": 1
          },
          "kind": {
            "$ref": "#/components/schemas/MessageKind"
          },
          "author": {
            "$ref": "#/components/schemas/Actor"
          },
          "body": {
            "type": "string",
            "description": "Plain text."
          },
          "created_at": {
            "type": "string",
            "format": "date-time",
            "description": "UTC, ISO 8601 with milliseconds, e.g. 2025-03-14T09:26:53.589Z."
          },
          "attachments": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Attachment"
            }
          }
        }
      },
      "FieldChange": {
        "type": "object",
        "required": [
          "field",
          "before",
          "after"
        ],
        "properties": {
          "field": {
            "type": "string",
            "description": "e.g. status, owner_id, priority, tags, team_id, subject, outcome, to_agent_id, handoff_id."
          },
          "before": {
            "type": "string",
            "description": "The old value as text; empty for none."
          },
          "after": {
            "type": "string",
            "description": "The new value as text; empty for none."
          }
        }
      },
      "Event": {
        "type": "object",
        "description": "An entry in the append-only ticket log.",
        "required": [
          "id",
          "ticket_id",
          "type",
          "actor",
          "at",
          "changes",
          "note"
        ],
        "properties": {
          "id": {
            "type": "integer",
            "format": "int64",
            "minimum": 1
          },
          "ticket_id": {
            "type": "integer",
            "format": "int64",
            "minimum": 1
          },
          "type": {
            "type": "string",
            "description": "ticket_created, owner_taken, reply_added, note_added, customer_message_added, reopened_by_customer, ticket_updated, handoff_proposed, handoff_accepted, handoff_declined, handoff_withdrawn, reassigned, resolved, reopened, closed, ..."
          },
          "actor": {
            "$ref": "#/components/schemas/Actor"
          },
          "at": {
            "type": "string",
            "format": "date-time",
            "description": "UTC, ISO 8601 with milliseconds, e.g. 2025-03-14T09:26:53.589Z."
          },
          "changes": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/FieldChange"
            }
          },
          "note": {
            "type": "string",
            "description": "Free text belonging to the event (handoff note, decline reason, resolution statement); may be empty."
          }
        }
      },
      "Customer": {
        "type": "object",
        "required": [
          "id",
          "name",
          "emails",
          "company_id",
          "timezone",
          "language",
          "notes",
          "created_at",
          "updated_at",
          "version"
        ],
        "properties": {
          "id": {
            "type": "integer",
            "format": "int64",
            "minimum": 1
          },
          "name": {
            "type": "string"
          },
          "emails": {
            "type": "array",
            "items": {
              "type": "string",
              "format": "email"
            },
            "description": "Lower-case; the first is the primary address."
          },
          "company_id": {
            "type": "integer",
            "format": "int64",
            "minimum": 1,
            "nullable": true
          },
          "timezone": {
            "type": "string",
            "description": "IANA name, e.g. Europe/Lisbon; empty if unknown."
          },
          "language": {
            "type": "string",
            "description": "BCP 47 tag, e.g. pt-PT; empty if unknown."
          },
          "notes": {
            "type": "string"
          },
          "created_at": {
            "type": "string",
            "format": "date-time",
            "description": "UTC, ISO 8601 with milliseconds, e.g. 2025-03-14T09:26:53.589Z."
          },
          "updated_at": {
            "type": "string",
            "format": "date-time",
            "description": "UTC, ISO 8601 with milliseconds, e.g. 2025-03-14T09:26:53.589Z."
          },
          "version": {
            "type": "integer",
            "format": "int64",
            "minimum": 1,
            "description": "Send it back in PATCH; a stale version gets 409."
          }
        }
      },
      "Company": {
        "type": "object",
        "required": [
          "id",
          "name",
          "shares_tickets",
          "created_at"
        ],
        "properties": {
          "id": {
            "type": "integer",
            "format": "int64",
            "minimum": 1
          },
          "name": {
            "type": "string"
          },
          "shares_tickets": {
            "type": "boolean",
            "description": "When true, every customer of the company may see the company's tickets."
          },
          "created_at": {
            "type": "string",
            "format": "date-time",
            "description": "UTC, ISO 8601 with milliseconds, e.g. 2025-03-14T09:26:53.589Z."
          }
        }
      },
      "Agent": {
        "type": "object",
        "required": [
          "id",
          "name",
          "email",
          "role",
          "teams",
          "active",
          "created_at"
        ],
        "properties": {
          "id": {
            "type": "integer",
            "format": "int64",
            "minimum": 1
          },
          "name": {
            "type": "string"
          },
          "email": {
            "type": "string",
            "format": "email"
          },
          "role": {
            "$ref": "#/components/schemas/Role"
          },
          "teams": {
            "type": "array",
            "items": {
              "type": "integer",
              "format": "int64",
              "minimum": 1
            },
            "description": "Team ids."
          },
          "active": {
            "type": "boolean"
          },
          "created_at": {
            "type": "string",
            "format": "date-time",
            "description": "UTC, ISO 8601 with milliseconds, e.g. 2025-03-14T09:26:53.589Z."
          }
        }
      },
      "Team": {
        "type": "object",
        "required": [
          "id",
          "name",
          "created_at"
        ],
        "properties": {
          "id": {
            "type": "integer",
            "format": "int64",
            "minimum": 1
          },
          "name": {
            "type": "string"
          },
          "created_at": {
            "type": "string",
            "format": "date-time",
            "description": "UTC, ISO 8601 with milliseconds, e.g. 2025-03-14T09:26:53.589Z."
          }
        }
      },
      "Problem": {
        "type": "object",
        "description": "An RFC 9457 problem (Content-Type application/problem+json).",
        "required": [
          "type",
          "title",
          "status",
          "detail"
        ],
        "properties": {
          "type": {
            "type": "string",
            "description": "/problems/validation, /problems/bad-request, /problems/not-found, /problems/conflict, /problems/forbidden, /problems/unauthenticated, /problems/too-large, /problems/rate-limited, /problems/unsupported-media-type, /problems/unavailable, /problems/internal (about:blank for errors the HTTP layer answers before the API sees the request)."
          },
          "title": {
            "type": "string"
          },
          "status": {
            "type": "integer",
            "description": "The HTTP status."
          },
          "detail": {
            "type": "string",
            "description": "What was wrong, in words; for validation errors \"<field> <message>\"."
          },
          "errors": {
            "type": "array",
            "items": {
              "type": "object",
              "required": [
                "field",
                "message"
              ],
              "properties": {
                "field": {
                  "type": "string",
                  "description": "The field or query parameter, e.g. customer.email."
                },
                "message": {
                  "type": "string"
                }
              }
            },
            "description": "Present on validation errors (422): the field that was wrong."
          }
        }
      },
      "TicketPage": {
        "type": "object",
        "required": [
          "items",
          "next_cursor"
        ],
        "properties": {
          "items": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/TicketSummary"
            },
            "description": "Newest first."
          },
          "next_cursor": {
            "type": "string",
            "description": "Opaque; pass the next_cursor of the previous page. Null on the last page.",
            "nullable": true
          }
        }
      },
      "CustomerPage": {
        "type": "object",
        "required": [
          "items",
          "next_cursor"
        ],
        "properties": {
          "items": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Customer"
            },
            "description": "Oldest first."
          },
          "next_cursor": {
            "type": "string",
            "description": "Opaque; pass the next_cursor of the previous page. Null on the last page. (Set whenever the page is full.)",
            "nullable": true
          }
        }
      },
      "MessageList": {
        "type": "object",
        "required": [
          "items"
        ],
        "properties": {
          "items": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Message"
            },
            "description": "Oldest first."
          }
        }
      },
      "EventList": {
        "type": "object",
        "required": [
          "items"
        ],
        "properties": {
          "items": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Event"
            },
            "description": "Oldest first."
          }
        }
      },
      "AgentList": {
        "type": "object",
        "required": [
          "items"
        ],
        "properties": {
          "items": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Agent"
            }
          }
        }
      },
      "TeamList": {
        "type": "object",
        "required": [
          "items"
        ],
        "properties": {
          "items": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Team"
            }
          }
        }
      },
      "SearchHit": {
        "type": "object",
        "required": [
          "ticket",
          "snippet",
          "snippet_html",
          "score"
        ],
        "properties": {
          "ticket": {
            "$ref": "#/components/schemas/TicketSummary"
          },
          "snippet": {
            "type": "string",
            "description": "Matching text, plain."
          },
          "snippet_html": {
            "type": "string",
            "description": "The same text HTML-escaped, with matched words in <mark>."
          },
          "score": {
            "type": "number",
)json"
      R"json(            "description": "Higher is better."
          }
        }
      },
      "SearchResults": {
        "type": "object",
        "required": [
          "items"
        ],
        "properties": {
          "items": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/SearchHit"
            },
            "description": "Best first."
          }
        }
      },
      "TicketWrite": {
        "type": "object",
        "required": [
          "ticket",
          "messages"
        ],
        "properties": {
          "ticket": {
            "$ref": "#/components/schemas/Ticket"
          },
          "messages": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Message"
            },
            "description": "The messages this write added."
          }
        }
      },
      "HandoffAnswer": {
        "type": "object",
        "required": [
          "handoff",
          "ticket"
        ],
        "properties": {
          "handoff": {
            "$ref": "#/components/schemas/Handoff"
          },
          "ticket": {
            "$ref": "#/components/schemas/Ticket"
          }
        }
      },
      "LoginResult": {
        "type": "object",
        "required": [
          "agent",
          "csrf_token"
        ],
        "properties": {
          "agent": {
            "$ref": "#/components/schemas/Agent"
          },
          "csrf_token": {
            "type": "string",
            "description": "Send it as the X-CSRF-Token header on every POST/PATCH made with the session cookie."
          }
        }
      },
      "MeAgent": {
        "type": "object",
        "required": [
          "kind",
          "agent"
        ],
        "properties": {
          "kind": {
            "type": "string",
            "enum": [
              "agent"
            ]
          },
          "agent": {
            "$ref": "#/components/schemas/Agent"
          }
        }
      },
      "MeCustomer": {
        "type": "object",
        "required": [
          "kind",
          "customer"
        ],
        "properties": {
          "kind": {
            "type": "string",
            "enum": [
              "customer"
            ]
          },
          "customer": {
            "$ref": "#/components/schemas/Customer"
          }
        }
      },
      "Me": {
        "oneOf": [
          {
            "$ref": "#/components/schemas/MeAgent"
          },
          {
            "$ref": "#/components/schemas/MeCustomer"
          }
        ],
        "discriminator": {
          "propertyName": "kind",
          "mapping": {
            "agent": "#/components/schemas/MeAgent",
            "customer": "#/components/schemas/MeCustomer"
          }
        }
      },
      "Health": {
        "type": "object",
        "required": [
          "status"
        ],
        "properties": {
          "status": {
            "type": "string",
            "enum": [
              "ok"
            ]
          }
        }
      },
      "LoginRequest": {
        "type": "object",
        "required": [
          "email",
          "password"
        ],
        "properties": {
          "email": {
            "type": "string",
            "format": "email"
          },
          "password": {
            "type": "string"
          }
        },
        "additionalProperties": false
      },
      "NewTicket": {
        "type": "object",
        "description": "Agents must send customer and may send priority (default normal), tags and team_id. Customers send subject, body and optionally tags; the ticket is theirs.",
        "required": [
          "subject",
          "body"
        ],
        "properties": {
          "subject": {
            "type": "string",
            "description": "1-255 bytes after trimming, one line.",
            "maxLength": 255
          },
          "body": {
            "type": "string",
            "description": "The first message. Plain text, not blank, at most max_message_bytes (256 KiB by default)."
          },
          "customer": {
            "type": "object",
            "required": [
              "email"
            ],
            "properties": {
              "email": {
                "type": "string",
                "description": "Found or created by this address.",
                "format": "email"
              },
              "name": {
                "type": "string",
                "description": "Used only when the customer is created; at most 200 characters.",
                "maxLength": 200
              }
            },
            "additionalProperties": false
          },
          "priority": {
            "allOf": [
              {
                "$ref": "#/components/schemas/Priority"
              }
            ],
            "description": "Default normal."
          },
          "tags": {
            "type": "array",
            "items": {
              "type": "string",
              "maxLength": 64
            },
            "description": "At most 32; trimmed, lower-cased, de-duplicated; no spaces or commas.",
            "maxItems": 32
          },
          "team_id": {
            "type": "integer",
            "format": "int64",
            "minimum": 1
          }
        },
        "additionalProperties": false
      },
      "TicketPatch": {
        "type": "object",
        "required": [
          "version"
        ],
        "properties": {
          "version": {
            "type": "integer",
            "format": "int64",
            "description": "The version you read; 409 if the ticket has changed since."
          },
          "subject": {
            "type": "string",
            "description": "1-255 bytes after trimming, one line.",
            "maxLength": 255
          },
          "priority": {
            "$ref": "#/components/schemas/Priority"
          },
          "tags": {
            "type": "array",
            "items": {
              "type": "string",
              "maxLength": 64
            },
            "description": "Replaces all tags. At most 32; trimmed, lower-cased, de-duplicated; no spaces or commas.",
            "maxItems": 32
          },
          "team_id": {
            "type": "integer",
            "format": "int64",
            "minimum": 1,
            "nullable": true,
            "description": "null removes the team."
          },
          "status": {
            "type": "string",
            "description": "Only open <-> pending here; use resolve, reopen or a reply for the rest.",
            "enum": [
              "open",
              "pending"
            ]
          }
        },
        "additionalProperties": false
      },
      "NewMessage": {
        "type": "object",
        "required": [
          "body"
        ],
        "properties": {
          "kind": {
            "type": "string",
            "description": "Agents: reply or note (required). Customers: customer (optional).",
            "enum": [
              "reply",
              "note",
              "customer"
            ]
          },
          "body": {
            "type": "string",
            "description": "Plain text, not blank, at most max_message_bytes (256 KiB by default)."
          },
          "status": {
            "type": "string",
            "description": "After an agent reply: pending waits on the customer; open (the default) leaves it open. Not allowed with a note.",
            "enum": [
              "open",
              "pending"
            ]
          }
        },
        "additionalProperties": false
      },
      "NewMessageMultipart": {
        "type": "object",
        "description": "The same fields as form fields, plus files. Other non-file fields are rejected.",
        "required": [
          "body"
        ],
        "properties": {
          "kind": {
            "type": "string",
            "description": "Agents: reply or note (required). Customers: customer (optional).",
            "enum": [
              "reply",
              "note",
              "customer"
            ]
          },
          "body": {
            "type": "string",
            "description": "Plain text, not blank, at most max_message_bytes (256 KiB by default)."
          },
          "status": {
            "type": "string",
            "description": "After an agent reply: pending waits on the customer; open (the default) leaves it open. Not allowed with a note.",
            "enum": [
              "open",
              "pending"
            ]
          },
          "files": {
            "type": "array",
            "items": {
              "type": "string",
              "format": "binary"
            },
            "description": "Any part with a filename is an attachment, whatever its field name; each at most max_attachment_bytes (10 MiB by default)."
          }
        }
      },
      "NewHandoff": {
        "type": "object",
        "required": [
          "to_agent_id",
          "note"
        ],
        "properties": {
          "to_agent_id": {
            "type": "integer",
            "format": "int64",
            "minimum": 1,
            "description": "An active agent other than the owner."
          },
          "note": {
            "type": "string",
            "description": "Required: what the next owner needs to know."
          }
        },
        "additionalProperties": false
      },
      "HandoffDecline": {
        "type": "object",
        "required": [
          "reason"
        ],
        "properties": {
          "reason": {
            "type": "string",
            "description": "Required: why, so the owner can find someone else."
          }
        },
        "additionalProperties": false
      },
      "Assignment": {
        "type": "object",
        "required": [
          "agent_id",
          "note"
        ],
        "properties": {
          "agent_id": {
            "type": "integer",
            "format": "int64",
            "minimum": 1,
            "description": "An active agent other than the owner."
          },
          "note": {
            "type": "string",
            "description": "Required: what the next owner needs to know."
          }
        },
        "additionalProperties": false
      },
      "ResolveRequest": {
        "type": "object",
        "required": [
          "outcome"
        ],
        "properties": {
          "outcome": {
            "$ref": "#/components/schemas/Outcome"
          },
          "statement": {
            "type": "string",
            "description": "What the customer is told. Required for cannot_do: the limit, stated plainly."
          },
          "alternatives": {
            "type": "array",
            "items": {
              "type": "string"
            },
            "description": "cannot_do only: what the customer can do instead."
          },
          "duplicate_of": {
            "type": "integer",
            "format": "int64",
            "minimum": 1,
            "description": "Required for duplicate (and only allowed there): the ticket that continues; not this one."
          }
        },
        "additionalProperties": false
      },
      "NewCustomer": {
        "type": "object",
        "description": "Send exactly one of email or emails. An address already used by another customer is a 409.",
        "required": [
          "name"
        ],
        "properties": {
          "name": {
            "type": "string",
            "description": "Required, at most 200 bytes, one line.",
            "maxLength": 200
          },
          "email": {
            "type": "string",
            "description": "One address (or use emails).",
            "format": "email"
          },
          "emails": {
            "type": "array",
            "items": {
              "type": "string",
              "format": "email"
            },
            "description": "1-20 addresses, the first is primary (or use email).",
)json"
      R"json(            "minItems": 1,
            "maxItems": 20
          },
          "company_id": {
            "type": "integer",
            "format": "int64",
            "minimum": 1
          },
          "timezone": {
            "type": "string",
            "description": "IANA name, at most 64 bytes.",
            "maxLength": 64
          },
          "language": {
            "type": "string",
            "description": "BCP 47 tag, at most 35 bytes.",
            "maxLength": 35
          },
          "notes": {
            "type": "string"
          }
        },
        "additionalProperties": false
      },
      "CustomerPatch": {
        "type": "object",
        "required": [
          "version"
        ],
        "properties": {
          "version": {
            "type": "integer",
            "format": "int64",
            "description": "The version you read; 409 if the record has changed since."
          },
          "name": {
            "type": "string",
            "maxLength": 200
          },
          "email": {
            "type": "string",
            "description": "Replaces all addresses with this one.",
            "format": "email"
          },
          "emails": {
            "type": "array",
            "items": {
              "type": "string",
              "format": "email"
            },
            "description": "Replaces all addresses. 1-20 addresses, the first is primary (or use email).",
            "minItems": 1,
            "maxItems": 20
          },
          "company_id": {
            "type": "integer",
            "format": "int64",
            "minimum": 1,
            "nullable": true,
            "description": "null removes the company."
          },
          "timezone": {
            "type": "string",
            "maxLength": 64
          },
          "language": {
            "type": "string",
            "maxLength": 35
          },
          "notes": {
            "type": "string"
          }
        },
        "additionalProperties": false
      },
      "NewCompany": {
        "type": "object",
        "required": [
          "name"
        ],
        "properties": {
          "name": {
            "type": "string",
            "description": "Required, at most 200 bytes.",
            "maxLength": 200
          },
          "shares_tickets": {
            "type": "boolean",
            "default": false,
            "description": "Every customer of the company may see its tickets."
          }
        },
        "additionalProperties": false
      },
      "NewAgent": {
        "type": "object",
        "required": [
          "name",
          "email"
        ],
        "properties": {
          "name": {
            "type": "string",
            "description": "At most 200 bytes.",
            "maxLength": 200
          },
          "email": {
            "type": "string",
            "format": "email"
          },
          "role": {
            "allOf": [
              {
                "$ref": "#/components/schemas/Role"
              }
            ],
            "description": "Default agent."
          },
          "password": {
            "type": "string",
            "description": "10-1024 characters. Without one the agent cannot sign in (tokens still work).",
            "minLength": 10,
            "maxLength": 1024
          },
          "teams": {
            "type": "array",
            "items": {
              "type": "integer",
              "format": "int64",
              "minimum": 1
            },
            "description": "Team ids."
          }
        },
        "additionalProperties": false
      },
      "NewTeam": {
        "type": "object",
        "required": [
          "name"
        ],
        "properties": {
          "name": {
            "type": "string",
            "description": "At most 100 bytes.",
            "maxLength": 100
          }
        },
        "additionalProperties": false
      }
    }
  }
})json";
  return kDocument;
}

}  // namespace steadfast::http
