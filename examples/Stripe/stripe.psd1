# Stripe invoices, as an InvoiceTools provider definition (about_InvoiceTools_CustomProviders).
# Every fact below comes from Stripe's public API reference; each group names its page. Checked in November 2026
# against the reference for API version 2025-08-27.basil and the invoice fixture of github.com/stripe/openapi
# (openapi/fixtures3.json). Try it offline:
#   Register-InvoiceProvider -Path examples/Stripe/stripe.psd1
#   Connect-InvoiceProvider -Provider Stripe -Sandbox
#   Get-Invoice | Format-Table
@{
    Name           = 'Stripe'
    DisplayName    = 'Stripe Invoicing'
    Source         = 'https://docs.stripe.com/api/invoices/list'

    # https://docs.stripe.com/api (base URL) and https://docs.stripe.com/api/authentication: "Provide your API key as
    # the basic auth username value ... If you need to authenticate using bearer auth ... use
    # -H 'Authorization: Bearer sk_...'". Secret keys start sk_test_ or sk_live_; restricted keys also work.
    BaseUri        = 'https://api.stripe.com'
    Authentication = @{ Type = 'Bearer' }

    # https://docs.stripe.com/api/versioning: a request may pin the API version with the Stripe-Version header;
    # without it the account's default version decides the shape of the answer. The paths below (total_taxes,
    # lines.data[].pricing) exist from 2025-03-31.basil on (https://docs.stripe.com/changelog/basil/2025-03-31/
    # invoice-tax-configurations and .../invoice-pricing-configurations), so the version is pinned to a basil one.
    Headers        = @{ 'Stripe-Version' = '2025-08-27.basil' }

    # https://docs.stripe.com/api/invoices/list: GET /v1/invoices answers
    # { "object": "list", "url": "/v1/invoices", "has_more": false, "data": [ invoice, ... ] }, "sorted by creation
    # date, with the most recently created invoices appearing first".
    List           = @{ Path = '/v1/invoices'; Items = 'data' }

    # Same page: "limit ... can range between 1 and 100, and the default is 10"; "starting_after is an object ID
    # that defines your place in the list ... ending with obj_foo, your subsequent call can include
    # starting_after=obj_foo". has_more is false on the last page (https://docs.stripe.com/api/pagination).
    # No NextCursor: the cursor is the last invoice's Id.
    Paging         = @{
        Type        = 'Cursor'
        Cursor      = 'starting_after'
        PageSize    = 'limit'
        MaxPageSize = 100
        HasMore     = 'has_more'
    }

    # The invoice object: https://docs.stripe.com/api/invoices/object
    Invoice        = @{
        Id            = 'id'                 # in_...
        Number        = 'number'             # null until the invoice is finalized (drafts have none)
        Status        = 'status'
        Currency      = 'currency'           # "Three-letter ISO currency code, in lowercase" (usd, eur, jpy)
        # Amounts are integers in the currency's smallest unit; zero-decimal currencies such as JPY are not
        # multiplied by 100 (https://docs.stripe.com/currencies#zero-decimal).
        AmountUnit    = 'Minor'
        Subtotal      = 'subtotal'           # before invoice-level discounts and exclusive tax
        # total_taxes (basil and later) is an array, one entry per tax rate; the schema names one value per field,
        # so Tax is the first entry's amount. An invoice with two tax rates shows only the first one in Tax (its
        # Total is still right). An invoice without tax has an empty array: Tax is then missing (null).
        Tax           = 'total_taxes[0].amount'
        Total         = 'total'
        AmountDue     = 'amount_remaining'   # "The difference between amount_due and amount_paid"
        AmountPaid    = 'amount_paid'
        CustomerId    = 'customer'           # cus_... (an id unless the request expands it)
        CustomerName  = 'customer_name'      # nullable
        CustomerEmail = 'customer_email'     # nullable
        Description   = 'description'        # "Referenced as 'memo' in the Dashboard"
        DateFormat    = 'UnixSeconds'        # every Stripe timestamp is seconds since the epoch, UTC
        CreatedAt     = 'created'
        IssuedAt      = 'status_transitions.finalized_at'
        DueDate       = 'due_date'           # null when collection_method is charge_automatically
        PaidAt        = 'status_transitions.paid_at'
        # The invoice object has no "updated" time; UpdatedAt is left out, so checkpoints compare content.

        # lines is a list object embedded in the invoice ({ object, data, has_more, url }); when its has_more is
        # true, the other lines are only at its url, GET /v1/invoices/{id}/lines, which this definition does not
        # read. Line item object: https://docs.stripe.com/api/invoice-line-item/object
        LineItems     = 'lines.data'
        LineItem      = @{
            Id          = 'id'               # il_...
            Description = 'description'
            Quantity    = 'quantity'
            # A decimal string in minor units ("2500"), moved here by 2025-03-31.basil.
            UnitPrice   = 'pricing.unit_amount_decimal'
            Amount      = 'amount'
            Currency    = 'currency'
        }
    }

    # https://docs.stripe.com/api/invoices/list (the status parameter): "one of draft, open, paid, uncollectible,
    # or void"; the same words as the object's status (https://docs.stripe.com/api/invoices/object).
    Statuses       = @{
        draft         = 'Draft'
        open          = 'Open'
        paid          = 'Paid'
        uncollectible = 'Uncollectible'
        void          = 'Void'
    }
    # Stripe has no overdue status: an open invoice past its due_date stays open.
    OverdueAfterDueDate = $true

    # https://docs.stripe.com/api/invoices/list parameters: status ("one of draft, open, paid, uncollectible, or
    # void"), created.gte / created.lt (integers, Unix seconds), sent as created[gte] and created[lt] in the query.
    # customer takes a customer ID (cus_...) only, while Get-Invoice -Customer matches names and e-mails too: it
    # is left to the module, so -Customer 'Harbor' still finds Harbor Light Studio.
    Filters        = @{
        Status        = @{ Parameter = 'status' }
        CreatedAfter  = @{ Parameter = 'created[gte]'; Format = 'UnixSeconds' }
        CreatedBefore = @{ Parameter = 'created[lt]'; Format = 'UnixSeconds' }
    }

    # https://docs.stripe.com/api/invoices/retrieve: GET /v1/invoices/:id answers the invoice object itself.
    Item           = @{ Path = '/v1/invoices/{id}' }

    Sandbox        = @{ Records = 'stripe.records.json' }
}
