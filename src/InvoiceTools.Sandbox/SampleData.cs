using System;
using System.Collections.Generic;

namespace InvoiceTools.Sandbox;

/// <summary>Deterministic building blocks for realistic invoices: customers, products, identifiers.</summary>
internal sealed class SampleData
{
    private static readonly (string Company, string First, string Last, string City, string Subdivision, string Country)[] Customers =
    {
        ("Dan The Man Co.", "Dan", "Humphrey", "Brooklyn", "NY", "US"),
        ("Blue Harbor Logistics", "Maya", "Okafor", "Baltimore", "MD", "US"),
        ("Cedar & Pine Interiors", "Lukas", "Brandt", "Portland", "OR", "US"),
        ("Northwind Traders", "Ana", "Trujillo", "Seattle", "WA", "US"),
        ("Kestrel Analytics", "Priya", "Raman", "Austin", "TX", "US"),
        ("Golden Gate Bakery", "Tom", "Nguyen", "San Francisco", "CA", "US"),
        ("Summit Outdoor Supply", "Grace", "Lindqvist", "Denver", "CO", "US"),
        ("Harbor Lights Dental", "Omar", "Haddad", "Boston", "MA", "US"),
        ("Redwood Legal LLP", "Sofia", "Marquez", "Sacramento", "CA", "US"),
        ("Brightline Tutoring", "Ethan", "Cole", "Chicago", "IL", "US"),
        ("Copper Kettle Cafe", "Hannah", "Yoon", "Minneapolis", "MN", "US"),
        ("Ironclad Fitness", "Marcus", "Bell", "Atlanta", "GA", "US"),
        ("Lakeside Veterinary", "Chloe", "Dubois", "Madison", "WI", "US"),
        ("Orchard Street Books", "Noah", "Feldman", "Philadelphia", "PA", "US"),
        ("Pioneer Solar", "Isabel", "Ortega", "Phoenix", "AZ", "US"),
        ("Quartz Studio", "Kenji", "Watanabe", "Los Angeles", "CA", "US"),
        ("Riverbend Plumbing", "Laura", "Schmidt", "Columbus", "OH", "US"),
        ("Silver Birch Spa", "Amara", "Nwosu", "Charlotte", "NC", "US"),
        ("Tidewater Marine", "Jack", "Olsen", "Norfolk", "VA", "US"),
        ("Urban Roots Florist", "Zoe", "Kaplan", "Nashville", "TN", "US"),
        ("Vantage Print Works", "Diego", "Alvarez", "Miami", "FL", "US"),
        ("Willow Creek Farm", "Ruth", "Eriksen", "Boise", "ID", "US"),
        ("Zenith Software", "Arjun", "Mehta", "San Jose", "CA", "US"),
        ("Anchor Point Realty", "Megan", "O'Brien", "Providence", "RI", "US"),
        ("Bayou Catering", "Andre", "Thibodeaux", "New Orleans", "LA", "US"),
        ("Canyon Ridge Guides", "Leah", "Begay", "Flagstaff", "AZ", "US"),
        ("Delta Freight", "Victor", "Popescu", "Memphis", "TN", "US"),
        ("Evergreen Landscaping", "Nina", "Holm", "Tacoma", "WA", "US"),
        ("Fable & Ink Tattoo", "Rico", "Santos", "Las Vegas", "NV", "US"),
        ("Granite State Roofing", "Paul", "Lemieux", "Manchester", "NH", "US"),
    };

    private static readonly (string Name, long UnitMinor, string Unit)[] Products =
    {
        ("French fries", 500, "pc"), ("Hamburger", 1200, "pc"), ("Sandwich", 1000, "pc"), ("Tea", 300, "pc"),
        ("Steak", 5000, "pc"), ("Hot-Dog", 700, "pc"), ("Coffee", 500, "pc"), ("Consulting hour", 15000, "h"),
        ("Website hosting (monthly)", 2900, "mo"), ("Design retainer", 120000, "mo"), ("Printer paper", 899, "box"),
        ("Delivery fee", 1500, "pc"), ("Support plan", 4900, "mo"), ("Onboarding session", 25000, "pc"),
        ("Annual licence", 99900, "yr"), ("Cleaning service", 8500, "visit"), ("Spare parts kit", 3450, "kit"),
        ("Training workshop", 60000, "day"), ("Data export", 12500, "pc"), ("Catering platter", 7800, "pc"),
    };

    private readonly Random _random;

    public SampleData(int seed) => _random = new Random(seed);

    public int Next(int maxExclusive) => _random.Next(maxExclusive);

    public int Next(int minInclusive, int maxExclusive) => _random.Next(minInclusive, maxExclusive);

    public double NextDouble() => _random.NextDouble();

    public Guid NextGuid()
    {
        var bytes = new byte[16];
        _random.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }

    public static SampleCustomer Customer(int index)
    {
        var c = Customers[index % Customers.Length];
        var domain = c.Company.ToLowerInvariant().Replace("&", "and").Replace(".", string.Empty).Replace(" ", string.Empty).Replace("'", string.Empty);
        return new SampleCustomer(index % Customers.Length, c.Company, c.First, c.Last, c.First.ToLowerInvariant() + "@" + domain + ".example", c.City, c.Subdivision, c.Country);
    }

    public static int CustomerCount => Customers.Length;

    public IReadOnlyList<(string Name, long UnitMinor, string Unit, int Quantity)> Lines()
    {
        var count = Next(1, 6);
        var lines = new List<(string, long, string, int)>(count);
        for (var i = 0; i < count; i++)
        {
            var p = Products[Next(Products.Length)];
            lines.Add((p.Name, p.UnitMinor, p.Unit, Next(1, 6)));
        }

        return lines;
    }
}

/// <summary>A generated customer.</summary>
internal sealed record SampleCustomer(int Index, string Company, string FirstName, string LastName, string Email, string City, string Subdivision, string Country);
