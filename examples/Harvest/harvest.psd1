# Harvest (time tracking and invoicing) API v2 invoices, as an InvoiceTools provider definition
# (about_InvoiceTools_CustomProviders). harvest.json holds the same definition as JSON. Every fact below comes from
# Harvest's public API v2 documentation; each group names its page. Checked in November 2026. The invoice example
# on the Invoices page (ids 13150403, 13150378) was also compared with a copy kept in a public test suite, because
# the page is long. Try it offline:
#   Register-InvoiceProvider -Path examples/Harvest/harvest.psd1
#   Connect-InvoiceProvider -Provider Harvest -Sandbox -Setting @{ AccountId = '123456'; Contact = 'you@example.com' }
#   Get-Invoice | Format-Table
@{
    Name           = 'Harvest'
    DisplayName    = 'Harvest'
    Source         = 'https://help.getharvest.com/api-v2/invoices-api/invoices/invoices/'

    # https://help.getharvest.com/api-v2/authentication-api/authentication/authentication/: a Personal Access
    # Token goes in "Authorization: Bearer $ACCESS_TOKEN" and "Each request will require your account ID as well"
    # in the Harvest-Account-Id header (one token can reach several accounts, so the account is a setting).
    # https://help.getharvest.com/api-v2/introduction/overview/general: "We also require that each request include
    # a User-Agent header with both: the name of your application, a link to your application or email address";
    # without it Harvest answers 400 Bad Request. The contact is a setting so that it is the caller's own.
    BaseUri        = 'https://api.harvestapp.com'
    Settings       = @{
        AccountId = @{
            Required    = $true
            Pattern     = '^[0-9]+$'
            Description = 'the Harvest account id (Developers page of Harvest ID), sent as Harvest-Account-Id'
        }
        Contact   = @{
            Required    = $true
            Pattern     = '^[^\s()]+@[^\s()]+$|^https://[^\s()]+$'
            Description = 'an e-mail address or https link Harvest can reach you at, sent in the User-Agent header'
        }
    }
    Authentication = @{ Type = 'Bearer' }
    Headers        = @{
        'Harvest-Account-Id' = '{AccountId}'
        'User-Agent'         = 'InvoiceTools ({Contact})'
    }

    # https://help.getharvest.com/api-v2/invoices-api/invoices/invoices/ ("List all invoices"): GET /v2/invoices
    # answers { "invoices": [ ... ], "per_page", "total_pages", "total_entries", "next_page", "previous_page",
    # "page", "links": { "first", "next", "previous", "last" } }, "sorted by issue date, with the most recently
    # issued invoices appearing first".
    List           = @{ Path = '/v2/invoices'; Items = 'invoices' }

    # https://help.getharvest.com/api-v2/introduction/overview/pagination: "use the next URL provided in the links
    # section" rather than building page URLs (the next link may carry a cursor instead of a page number); links.next
    # is null on the last page. per_page: "The default and maximum per_page value for API requests is 2000"; a larger
    # value is answered 422. Get-Invoice -PageSize stops at 1000 today, so 2000 is reached only by default.
    Paging         = @{
        Type        = 'NextLink'
        Next        = 'links.next'
        PageSize    = 'per_page'
        MaxPageSize = 2000
    }

    # The invoice object, same page. Amounts are decimals in the invoice's currency (major units).
    Invoice        = @{
        Id           = 'id'                  # an integer
        Number       = 'number'
        Status       = 'state'
        Currency     = 'currency'            # "The currency code associated with this invoice" (USD, EUR, JPY)
        AmountUnit   = 'Major'
        # amount: "The total amount for the invoice, including any discounts and taxes". The object has no subtotal.
        Total        = 'amount'
        AmountDue    = 'due_amount'          # "The total amount due at this time for this invoice"
        # tax_amount is the first tax; Harvest has a second one (tax2_amount) that the schema cannot add in, so an
        # invoice using tax2 shows only its first tax in Tax.
        Tax          = 'tax_amount'
        CustomerId   = 'client.id'           # client: "An object containing invoice's client id and name"
        CustomerName = 'client.name'         # the invoice has no client e-mail (contacts are a separate API)
        Description  = 'subject'             # "The invoice subject"
        # issue_date, due_date and paid_date are dates ("date"); created_at, updated_at, sent_at, paid_at and
        # closed_at are date-times in UTC ("2017-06-27T16:27:16Z").
        CreatedAt    = 'created_at'
        UpdatedAt    = 'updated_at'
        IssuedAt     = @{ Path = 'issue_date'; Format = 'yyyy-MM-dd' }
        DueDate      = @{ Path = 'due_date'; Format = 'yyyy-MM-dd' }
        PaidAt       = 'paid_at'
        # line_items: "Array of invoice line items"; each has id, kind ("The name of an invoice item category"),
        # description, quantity, unit_price, amount ("quantity * unit_price") and a project.
        LineItems    = 'line_items'
        LineItem     = @{
            Id          = 'id'
            Name        = 'kind'
            Description = 'description'
            Quantity    = 'quantity'
            UnitPrice   = 'unit_price'
            Amount      = 'amount'
        }
    }

    # "The current state of the invoice: draft, open, paid, or closed." Closing an invoice is Harvest's write-off:
    # the invoice-messages API creates "a message and mark[s] an open invoice as closed (writing an invoice off)"
    # (https://www.getharvest.com/api/invoice-messages, v1; v2 keeps event_type close / re-open,
    # https://help.getharvest.com/api-v2/invoices-api/invoices/invoice-messages/).
    Statuses       = @{
        draft  = 'Draft'
        open   = 'Open'
        paid   = 'Paid'
        closed = 'Uncollectible'
    }
    # Harvest has no overdue state: an open invoice past its due_date stays open.
    OverdueAfterDueDate = $true

    # List parameters, same page: state ("Only return invoices with a state matching the value provided. Options:
    # draft, open, paid, or closed"). The other filters have no Get-Invoice counterpart in the schema: client_id
    # takes an id only (-Customer also matches names, so it stays with the module), from/to bound issue_date, not
    # the creation time, and updated_since bounds updated_at.
    Filters        = @{
        Status = @{ Parameter = 'state' }
    }

    # "Retrieve an invoice": GET /v2/invoices/{INVOICE_ID} answers the invoice object.
    Item           = @{ Path = '/v2/invoices/{id}' }

    Sandbox        = @{ Records = 'harvest.records.json' }
}
