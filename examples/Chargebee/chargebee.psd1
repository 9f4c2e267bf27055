# Chargebee Billing API v2 invoices, as an InvoiceTools provider definition (about_InvoiceTools_CustomProviders).
# Every fact below comes from Chargebee's public API documentation; each group names its page. Field names and
# types were also checked against Chargebee's own Node.js library (github.com/chargebee/chargebee-node,
# types/resources/Invoice.d.ts). Checked in November 2026. Try it offline:
#   Register-InvoiceProvider -Path examples/Chargebee/chargebee.psd1
#   Connect-InvoiceProvider -Provider Chargebee -Sandbox -Setting @{ Site = 'acme-test' }
#   Get-Invoice | Format-Table
@{
    Name           = 'Chargebee'
    DisplayName    = 'Chargebee Billing'
    Source         = 'https://apidocs.chargebee.com/docs/api/invoices/list-invoices'

    # https://apidocs.chargebee.com/docs/api/invoices/list-invoices: "GET https://[site].chargebee.com/api/v2/invoices".
    # The site is the account's own subdomain (a test site is another site, with its own keys).
    BaseUri        = 'https://{Site}.chargebee.com/api/v2'
    Settings       = @{
        Site = @{
            Required    = $true
            Pattern     = '^[a-z0-9][a-z0-9-]{0,62}$'
            Description = 'the Chargebee site, the subdomain of https://<site>.chargebee.com (acme or acme-test)'
        }
    }

    # https://apidocs.chargebee.com/docs/api/auth: "Chargebee uses HTTP Basic authentication for API calls. The
    # username is your API key while the password is empty."
    Authentication = @{ Type = 'Basic'; KeyAs = 'User' }

    # List invoices answers { "list": [ { "invoice": { ... } }, ... ], "next_offset": "..." }: every entry wraps
    # the invoice under "invoice" (chargebee-node: ListResponse { list: { invoice: Invoice }[]; next_offset? }).
    # Items is the array of entries, so every field path below starts with 'invoice.'; the single-invoice answer
    # has the same wrapper ({ "invoice": { ... } }), so the same paths serve Item.
    List           = @{ Path = '/invoices'; Items = 'list' }

    # https://apidocs.chargebee.com/docs/api/list-ops: "limit: Specifies the number of resources to be included in
    # the page. The value ranges from 1 to 100, inclusive; and defaults to 10." "offset: ... the presence of the
    # next_offset attribute in the response indicates that more resources are available. To retrieve the next page
    # of resources, set the offset parameter to the value of next_offset returned in your previous call."
    # The same page says lists are sorted ascending by created_at by default; for invoices, sort_by accepts date or
    # updated_at. The order of the invoice list without sort_by was not confirmed separately.
    Paging         = @{
        Type        = 'Cursor'
        Cursor      = 'offset'
        NextCursor  = 'next_offset'
        PageSize    = 'limit'
        MaxPageSize = 100
    }

    # The invoice object: https://apidocs.chargebee.com/docs/api/invoices/invoice-object
    Invoice        = @{
        # id: "The invoice number. Acts as a identifier for invoice and typically generated sequentially."
        Id            = 'invoice.id'
        Number        = 'invoice.id'
        Status        = 'invoice.status'
        Currency      = 'invoice.currency_code'   # ISO 4217, upper case ("USD")
        # Amounts are "in cents": "$499.99 is displayed as 49999" (filter total on the list page). How Chargebee
        # writes zero-decimal currencies (JPY) was not confirmed here, so the sample records avoid them.
        AmountUnit    = 'Minor'
        Subtotal      = 'invoice.sub_total'
        Tax           = 'invoice.tax'
        Total         = 'invoice.total'
        # amount_due: "The unpaid amount that is due on the invoice. This is calculated as: total - amount_paid -
        # sum of applied_credits.applied_amount - sum of adjustment_credit_notes.cn_total - ..."
        AmountDue     = 'invoice.amount_due'
        AmountPaid    = 'invoice.amount_paid'
        CustomerId    = 'invoice.customer_id'
        # The invoice names its customer only in billing_address (company, first_name, last_name, email, all
        # optional). The schema cannot join first_name and last_name, so the name is the company: without one, the
        # invoice's Customer column falls back to the e-mail, then to the customer id.
        CustomerName  = 'invoice.billing_address.company'
        CustomerEmail = 'invoice.billing_address.email'
        DateFormat    = 'UnixSeconds'             # "timestamp(UTC) in seconds"
        # date: "The document date displayed on the invoice PDF" (filter date on the list page).
        IssuedAt      = 'invoice.date'
        # generated_at is a timestamp in the object (chargebee-node: generated_at?: number); that it is the time
        # the invoice was generated is read from its name, not confirmed on the object page.
        CreatedAt     = 'invoice.generated_at'
        DueDate       = 'invoice.due_date'
        PaidAt        = 'invoice.paid_at'
        UpdatedAt     = 'invoice.updated_at'
        # line_items[]: id, description, quantity, unit_amount and amount (cents), entity_type, tax_amount, ...
        LineItems     = 'invoice.line_items'
        LineItem      = @{
            Id          = 'id'
            Name        = 'description'
            Quantity    = 'quantity'
            UnitPrice   = 'unit_amount'
            Amount      = 'amount'
        }
    }

    # status: "paid, posted, payment_due, not_paid, voided, pending" (https://apidocs.chargebee.com/docs/api/
    # invoices/invoice-object): posted "Indicates the payment is not yet collected and will be in this state till
    # the due date"; payment_due "... is not yet collected and is being retried as per retry settings" (Chargebee's
    # help adds that a posted invoice becomes payment_due once its due period is over); not_paid "Indicates the
    # payment is not made and all attempts to collect is failed"; pending: the invoice is not closed yet and can
    # still take charges (metered billing). Chargebee moves posted invoices to payment_due itself, so
    # OverdueAfterDueDate stays off.
    Statuses       = @{
        pending     = 'Draft'
        posted      = 'Open'
        payment_due = 'Overdue'
        not_paid    = 'Failed'
        paid        = 'Paid'
        voided      = 'Void'
    }

    # Filter params, list page: status[is] ("Possible values are : paid, posted, payment_due, not_paid, voided,
    # pending"), id[is] (the invoice number). There is no filter on generated_at, so CreatedAfter/CreatedBefore stay
    # with the module (date[after]/date[before] bound the document date instead); customer_id[is] takes an id only,
    # so -Customer stays with the module too.
    Filters        = @{
        Status = @{ Parameter = 'status[is]' }
        Number = @{ Parameter = 'id[is]' }
    }

    # "Retrieve an invoice" (https://apidocs.chargebee.com/docs/api/invoices): GET /api/v2/invoices/{invoice-id}
    # answers { "invoice": { ... } } (chargebee-node: RetrieveResponse { invoice: Invoice }), the same wrapper as a
    # list entry, so Object stays '$'.
    Item           = @{ Path = '/invoices/{id}' }

    Sandbox        = @{ Records = 'chargebee.records.json' }
}
