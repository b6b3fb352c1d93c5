from parscore.cli import main

main()
